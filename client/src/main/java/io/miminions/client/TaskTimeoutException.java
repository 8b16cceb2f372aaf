package io.miminions.client;

import io.miminions.model.api.TaskView;

/**
 * The task ended TIMED_OUT: an attempt ran longer than its {@code timeoutSeconds} and the fleet
 * interrupted it. Not to be confused with {@link TaskWaitTimeoutException}, where the caller stopped
 * waiting for a task that has not ended.
 */
public class TaskTimeoutException extends MiminionsException {

    private final TaskView task;

    public TaskTimeoutException(TaskView task) {
        super("task " + task.taskId() + " (" + task.name() + ") timed out after " + task.timeoutSeconds() + " s: " + task.error());
        this.task = task;
    }

    /** The task as it ended. */
    public TaskView task() {
        return task;
    }
}
