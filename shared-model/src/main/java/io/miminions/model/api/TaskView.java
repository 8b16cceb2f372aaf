package io.miminions.model.api;

import io.miminions.model.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A task as the API shows it.
 *
 * @param output       what the agent returned, once COMPLETED
 * @param error        why the task did not complete, once FAILED, TIMED_OUT or CANCELLED
 * @param ranOnAgentId the agent that ran (or runs) it
 * @param attempt      the current (or last) execution attempt, 1 for the first; 0 before the first
 * @param maxAttempts  how many times it may be executed when its execution fails
 * @param startedAt    when the current (or last) attempt started, if it did
 */
public record TaskView(
        String taskId,
        String name,
        Map<String, Object> input,
        int priority,
        List<String> dependencies,
        int timeoutSeconds,
        String agentId,
        TaskStatus status,
        Map<String, Object> output,
        String error,
        String ranOnAgentId,
        Instant submittedAt,
        Instant updatedAt,
        int attempt,
        int maxAttempts,
        Instant startedAt) {

    /** A view without attempt details. */
    public TaskView(String taskId, String name, Map<String, Object> input, int priority, List<String> dependencies,
            int timeoutSeconds, String agentId, TaskStatus status, Map<String, Object> output, String error,
            String ranOnAgentId, Instant submittedAt, Instant updatedAt) {
        this(taskId, name, input, priority, dependencies, timeoutSeconds, agentId, status, output, error, ranOnAgentId,
                submittedAt, updatedAt, 0, 1, null);
    }
}
