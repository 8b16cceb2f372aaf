package io.miminions.model;

import java.time.Instant;
import java.util.Map;

/**
 * A lifecycle command for one agent: the value on {@link Topics#AGENTS_CONTROL}, key
 * {@link #agentId()}. Every command carries the agent's whole definition, so the latest command
 * of an agent is enough for a host that takes over its partition to run it.
 */
public record AgentCommand(
        String commandId,
        String agentId,
        String name,
        String agentType,
        Map<String, Object> config,
        AgentAction action,
        Instant issuedAt) {

    public AgentCommand {
        config = config == null ? Map.of() : config;
    }
}
