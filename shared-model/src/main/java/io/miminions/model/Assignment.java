package io.miminions.model;

import java.time.Instant;
import java.util.Map;

/**
 * The scheduler's decision that one agent runs one attempt of a task: a record on the agent's own
 * topic ({@link Topics#agentTopic(String)}), key {@link #taskId()}. An agent host may see an
 * assignment more than once; {@code taskId + attempt} identifies it.
 */
public record Assignment(
        String taskId,
        int attempt,
        String agentId,
        String name,
        Map<String, Object> input,
        int priority,
        int timeoutSeconds,
        Instant assignedAt) {

    public Assignment {
        input = input == null ? Map.of() : input;
    }
}
