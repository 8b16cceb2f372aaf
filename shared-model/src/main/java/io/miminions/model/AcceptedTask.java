package io.miminions.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A task the fleet has accepted: the value on {@link Topics#TASKS}, key {@link #taskId()},
 * partition {@link Priorities#partitionOf(int) partitionOf(priority)}.
 *
 * @param submissionSeq  the order in which task-intake accepted the task (increasing, gaps allowed): the
 *                       scheduler's tie-breaker within one priority, across the partitions of the topic;
 *                       null from a producer that does not number its tasks
 * @param maxAttempts    how many times the task may be executed when its execution fails; null means 1
 * @param backoffSeconds the pause before the second attempt, doubled before each further one; null means 1
 */
public record AcceptedTask(
        String taskId,
        String name,
        Map<String, Object> input,
        int priority,
        List<String> dependencies,
        int timeoutSeconds,
        String agentId,
        Instant submittedAt,
        Long submissionSeq,
        Integer maxAttempts,
        Integer backoffSeconds) {

    public AcceptedTask {
        input = input == null ? Map.of() : input;
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    }

    /** A task without a submission number and without a retry policy. */
    public AcceptedTask(String taskId, String name, Map<String, Object> input, int priority, List<String> dependencies,
            int timeoutSeconds, String agentId, Instant submittedAt) {
        this(taskId, name, input, priority, dependencies, timeoutSeconds, agentId, submittedAt, null, null, null);
    }
}
