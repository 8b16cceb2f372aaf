package io.miminions.model.api;

import io.miminions.model.AgentStatus;
import java.time.Instant;
import java.util.Map;

/** An agent as the API shows it. */
public record AgentView(
        String agentId,
        String name,
        String agentType,
        Map<String, Object> config,
        AgentStatus status,
        String reason,
        Instant registeredAt,
        Instant updatedAt) {
}
