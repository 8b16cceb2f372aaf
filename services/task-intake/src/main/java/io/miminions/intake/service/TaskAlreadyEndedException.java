package io.miminions.intake.service;

import io.miminions.model.TaskStatus;

/** A request that only makes sense for a task that has not ended, such as a cancel. */
public class TaskAlreadyEndedException extends RuntimeException {

    public TaskAlreadyEndedException(String taskId, String request, TaskStatus status) {
        super("cannot " + request + " task " + taskId + ": it has ended " + status);
    }
}
