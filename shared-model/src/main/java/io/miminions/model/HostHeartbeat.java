package io.miminions.model;

import java.time.Instant;
import java.util.List;

/**
 * An agent host saying it is alive: the value on {@link Topics#HEARTBEATS}, key {@link #hostId()}.
 * Every agent it names, and the attempt that agent executes, keeps its lease with the scheduler.
 *
 * @param sentAt when the host sent it (its own clock)
 * @param agents the agents the host runs, each with the attempt it executes, if any
 */
public record HostHeartbeat(String hostId, Instant sentAt, List<AgentLease> agents) {

    public HostHeartbeat {
        agents = agents == null ? List.of() : List.copyOf(agents);
    }

    /**
     * One hosted agent.
     *
     * @param taskId  the task whose attempt the agent executes; null when it is idle
     * @param attempt that attempt; 0 when idle
     */
    public record AgentLease(String agentId, String taskId, int attempt) {
    }
}
