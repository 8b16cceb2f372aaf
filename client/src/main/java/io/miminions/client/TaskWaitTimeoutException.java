package io.miminions.client;

import io.miminions.model.api.TaskView;
import java.time.Duration;

/** A task did not end within the time the caller was willing to wait; {@link #task()} is how it was then. */
public class TaskWaitTimeoutException extends MiminionsException {

    private final TaskView task;

    public TaskWaitTimeoutException(TaskView task, Duration waited) {
        super("task " + task.taskId() + " is still " + task.status() + " after waiting " + waited.toSeconds() + " s");
        this.task = task;
    }

    public TaskView task() {
        return task;
    }
}
