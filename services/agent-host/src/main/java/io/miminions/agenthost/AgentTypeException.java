package io.miminions.agenthost;

/** An agent type that cannot be turned into a running agent; the message says why. */
public class AgentTypeException extends IllegalArgumentException {

    public AgentTypeException(String message) {
        super(message);
    }
}
