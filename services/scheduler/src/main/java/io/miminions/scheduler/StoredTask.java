package io.miminions.scheduler;

import io.miminions.model.TaskStatus;

/**
 * What the scheduler's table says of a task it may no longer hold in memory.
 *
 * @param failedDependency for a task that failed because a dependency did not complete, the task
 *                         that caused it; else null
 */
public record StoredTask(TaskStatus status, String failedDependency) {

    /** The task whose failure a dependant of this (ended, not completed) task fails because of. */
    public String culprit(String taskId) {
        return failedDependency != null ? failedDependency : taskId;
    }
}
