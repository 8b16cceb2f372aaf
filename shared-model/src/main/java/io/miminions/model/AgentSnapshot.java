package io.miminions.model;

import java.time.Instant;
import java.util.Map;

/**
 * The state an agent's {@code onPause()} returned, saved by its host: the value on
 * {@link Topics#AGENTS_STATE}, key {@link #agentId()}. It is handed to {@code onResume} when the
 * agent resumes, on this host or on the one it moves to.
 *
 * @param generation the run of the agent that saved it ({@link AgentCommand#generation()}); a new
 *                   run starts without it
 * @param hostId     the host that saved it
 */
public record AgentSnapshot(String agentId, long generation, Map<String, Object> state, Instant savedAt, String hostId) {

    public AgentSnapshot {
        state = state == null ? Map.of() : state;
    }
}
