package io.miminions.intake.service;

import java.util.List;

/** The intake holds {@code max-task-queue-size} unfinished tasks already; the submission is refused. */
public class QueueFullException extends RefusedSubmissionException {

    private final int limit;

    public QueueFullException(int limit) {
        super(List.of("queue full: the fleet holds " + limit + " unfinished tasks, its max-task-queue-size; "
                + "submit again once some have finished"));
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
