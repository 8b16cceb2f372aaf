package io.miminions.model;

import java.time.Instant;
import java.util.Map;

/**
 * The scheduler's decision that one agent runs one attempt of a task: a record on the agent's own
 * topic ({@link Topics#agentTopic(String)}), key {@link #taskId()}. An agent host may see an
 * assignment more than once; {@code taskId + attempt} identifies it.
 *
 * @param timeoutSeconds how long the attempt may run once started; the host interrupts it then
 * @param expiresAt      the end of the attempt's first lease: a host that reads the assignment only
 *                       after this instant skips it, since the scheduler gives such an attempt up and
 *                       assigns the task again; null for never
 */
public record Assignment(
        String taskId,
        int attempt,
        String agentId,
        String name,
        Map<String, Object> input,
        int priority,
        int timeoutSeconds,
        Instant assignedAt,
        Instant expiresAt) {

    public Assignment {
        input = input == null ? Map.of() : input;
    }

    /** An assignment that never expires. */
    public Assignment(String taskId, int attempt, String agentId, String name, Map<String, Object> input, int priority,
            int timeoutSeconds, Instant assignedAt) {
        this(taskId, attempt, agentId, name, input, priority, timeoutSeconds, assignedAt, null);
    }

    /** True when a host reading it at {@code now} must skip it. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && now.isAfter(expiresAt);
    }
}
