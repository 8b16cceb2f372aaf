package io.miminions.client;

import io.miminions.model.api.Problem;

/**
 * The fleet refused a submission because it holds {@code max-task-queue-size} unfinished tasks
 * (HTTP 429, problem type {@code urn:miminions:problem:queue-full}). Nothing was stored: submit again
 * once some tasks have finished, or raise the limit.
 */
public class QueueFullException extends ApiException {

    public QueueFullException(Problem problem) {
        super(problem);
    }
}
