package io.miminions.intake.service;

import io.miminions.model.AgentStatus;
import java.util.Set;

/** A lifecycle command the agent's current status does not allow. */
public class IllegalAgentTransitionException extends RuntimeException {

    public IllegalAgentTransitionException(String agentId, String command, AgentStatus current, Set<AgentStatus> allowedFrom) {
        super("cannot " + command + " agent " + agentId + " while it is " + current + "; " + command
                + " is allowed from " + allowedFrom);
    }
}
