package io.miminions.model;

import java.util.List;
import java.util.Map;

/**
 * A request to run a task: the body of {@code POST /tasks} and the value of a record published to
 * {@link Topics#TASKS_SUBMIT}. Its JSON Schema is {@code schemas/task-submission.schema.json}.
 *
 * @param taskId         optional id chosen by the client (a UUID); a submission is idempotent on it.
 *                       Without one, task-intake assigns one.
 * @param name           what the task is called; required
 * @param input          the data the agent works on; empty when absent
 * @param priority       0 (highest) … 100 (lowest); {@link Priorities#DEFAULT} when absent
 * @param dependencies   ids of tasks that must complete first; empty when absent
 * @param timeoutSeconds how long the task may run; the fleet's default when absent
 * @param agentId        optional: run only on this agent; any running agent when absent
 * @param maxAttempts    optional retry policy: how many times the task may be executed when its
 *                       execution fails (an exception from {@code execute}); 1 (no retry) when absent
 * @param backoffSeconds optional retry policy: the pause before the second attempt, doubled before
 *                       each further one; 1 when absent
 */
public record TaskSubmission(
        String taskId,
        String name,
        Map<String, Object> input,
        Integer priority,
        List<String> dependencies,
        Integer timeoutSeconds,
        String agentId,
        Integer maxAttempts,
        Integer backoffSeconds) {

    public TaskSubmission {
        input = input == null ? Map.of() : input;
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    }

    /** A submission without a retry policy. */
    public TaskSubmission(String taskId, String name, Map<String, Object> input, Integer priority, List<String> dependencies,
            Integer timeoutSeconds, String agentId) {
        this(taskId, name, input, priority, dependencies, timeoutSeconds, agentId, null, null);
    }

    /** The same submission with this task id. */
    public TaskSubmission withTaskId(String id) {
        return new TaskSubmission(id, name, input, priority, dependencies, timeoutSeconds, agentId, maxAttempts, backoffSeconds);
    }

    public static TaskSubmission of(String name, Map<String, Object> input) {
        return new TaskSubmission(null, name, input, null, null, null, null);
    }
}
