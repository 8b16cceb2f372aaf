package io.miminions.client;

import io.miminions.model.api.AgentView;

/** An agent did not reach RUNNING: its host failed to start it, or it took too long. */
public class AgentStartException extends MiminionsException {

    private final AgentView agent;

    public AgentStartException(AgentView agent, String why) {
        super("agent " + agent.name() + " (" + agent.agentId() + ") did not start: " + why);
        this.agent = agent;
    }

    public AgentView agent() {
        return agent;
    }
}
