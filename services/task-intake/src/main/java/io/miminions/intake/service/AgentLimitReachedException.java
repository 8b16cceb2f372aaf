package io.miminions.intake.service;

/** Starting one more agent would pass the fleet's {@code maxConcurrentAgents}. */
public class AgentLimitReachedException extends RuntimeException {

    public static final String MESSAGE = "Max concurrent agents reached";

    public AgentLimitReachedException(int limit) {
        super(MESSAGE + ": " + limit + " agents are running or paused; stop one to start another");
    }
}
