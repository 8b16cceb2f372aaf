package io.miminions.client;

import io.miminions.model.api.Problem;

/**
 * Starting the agent would pass the fleet's {@code maxConcurrentAgents} (HTTP 409, problem type
 * {@code urn:miminions:problem:agent-limit}); the message is the seed's "Max concurrent agents
 * reached". The agent stays as it was: start it again once another agent has stopped.
 */
public class AgentLimitException extends ApiException {

    public static final String PROBLEM_TYPE = "urn:miminions:problem:agent-limit";

    public AgentLimitException(Problem problem) {
        super(problem, problem.title());
    }
}
