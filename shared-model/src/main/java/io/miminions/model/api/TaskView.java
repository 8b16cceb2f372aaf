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
        Instant updatedAt) {
}
