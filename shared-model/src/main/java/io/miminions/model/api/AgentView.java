package io.miminions.model.api;

import io.miminions.model.AgentStatus;
import java.time.Instant;
import java.util.Map;

/**
 * An agent as the API shows it.
 *
 * @param status        what the agent's host last reported
 * @param desiredStatus what the last lifecycle request asked for; differs from {@code status} until
 *                      the host has carried it out (a pause waits for the running task to finish)
 * @param generation    the agent's run: each start begins a new one (0 before the first)
 * @param hostId        the agent host that runs it; null when none does
 * @param reason        why the agent failed or was lost, when it was
 */
public record AgentView(
        String agentId,
        String name,
        String agentType,
        Map<String, Object> config,
        AgentStatus status,
        AgentStatus desiredStatus,
        long generation,
        String hostId,
        String reason,
        Instant registeredAt,
        Instant updatedAt) {
}
