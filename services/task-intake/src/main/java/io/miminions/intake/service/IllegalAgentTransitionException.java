package io.miminions.intake.service;

import io.miminions.model.AgentStatus;
import java.util.List;
import java.util.Set;

/** A lifecycle request the agent's status does not allow; names the requests it does allow. */
public class IllegalAgentTransitionException extends RuntimeException {

    private final List<String> allowed;

    public IllegalAgentTransitionException(String agentId, AgentLifecycle request, AgentStatus status) {
        super(message(agentId, request, status, AgentLifecycle.allowedIn(status)));
        this.allowed = AgentLifecycle.allowedIn(status).stream().map(AgentLifecycle::requestName).toList();
    }

    /** The requests the agent accepts in its status, as the API names them. */
    public List<String> allowed() {
        return allowed;
    }

    private static String message(String agentId, AgentLifecycle request, AgentStatus status, Set<AgentLifecycle> allowed) {
        String names = allowed.stream().map(AgentLifecycle::requestName).toList().toString();
        return "cannot " + request.requestName() + " agent " + agentId + " while it is " + status
                + "; allowed: " + (allowed.isEmpty() ? "none" : names.substring(1, names.length() - 1));
    }
}
