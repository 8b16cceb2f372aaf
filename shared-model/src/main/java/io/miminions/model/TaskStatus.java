package io.miminions.model;

/** Where a task is in its life. The last four are final: a task reaches exactly one of them. */
public enum TaskStatus {
    /** Accepted, waiting for its dependencies to complete. */
    PENDING,
    /** Ready to run, waiting for a free agent. */
    QUEUED,
    /** Handed to an agent, not yet started by it. */
    ASSIGNED,
    /** Being executed by an agent. */
    RUNNING,
    COMPLETED,
    FAILED,
    TIMED_OUT,
    CANCELLED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == TIMED_OUT || this == CANCELLED;
    }
}
