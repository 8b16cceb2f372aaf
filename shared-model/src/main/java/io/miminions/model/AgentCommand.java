package io.miminions.model;

import java.time.Instant;
import java.util.Map;

/**
 * A lifecycle command for one agent: the value on {@link Topics#AGENTS_CONTROL}, key
 * {@link #agentId()}. Every command carries the agent's whole definition, so the latest command
 * of an agent is enough for a host that takes over its partition to run it. A null value (a
 * tombstone) means the agent was deregistered.
 *
 * @param generation which run of the agent the command belongs to: every START begins a new one.
 *                   Hosts put it on the events they record, so that late events of an earlier run
 *                   are told apart, and restore saved state only of the same run.
 * @param limits     what the agent may use while it runs
 */
public record AgentCommand(
        String commandId,
        String agentId,
        String name,
        String agentType,
        Map<String, Object> config,
        AgentAction action,
        long generation,
        AgentLimits limits,
        Instant issuedAt) {

    public AgentCommand {
        config = config == null ? Map.of() : config;
        limits = limits == null ? AgentLimits.NONE : limits;
    }
}
