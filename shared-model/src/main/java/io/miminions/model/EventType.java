package io.miminions.model;

/** Everything the fleet records on {@link Topics#EVENTS}. */
public enum EventType {
    AGENT_REGISTERED(Severity.INFO),
    AGENT_STARTED(Severity.INFO),
    AGENT_PAUSED(Severity.INFO),
    AGENT_RESUMED(Severity.INFO),
    AGENT_STOPPED(Severity.INFO),
    AGENT_FAILED(Severity.ERROR),
    /** The agent was removed from the fleet; its saved state is gone. */
    AGENT_DEREGISTERED(Severity.INFO),
    /**
     * The agent left its host because its control partition moved to another host: it was paused
     * there (its state saved) and will be resumed by the new owner. Not a change of status.
     */
    AGENT_HANDED_OVER(Severity.INFO),
    /**
     * The host that ran the agent stopped sending heartbeats ({@code data.host}): its attempts are
     * given up and the agent is placed on another host by the control group.
     */
    AGENT_LOST(Severity.WARNING),

    TASK_SUBMITTED(Severity.INFO),
    TASK_REJECTED(Severity.WARNING),
    TASK_QUEUED(Severity.INFO),
    TASK_ASSIGNED(Severity.INFO),
    TASK_STARTED(Severity.INFO),
    TASK_COMPLETED(Severity.INFO),
    TASK_FAILED(Severity.ERROR),
    TASK_TIMED_OUT(Severity.ERROR),
    TASK_CANCELLED(Severity.WARNING),
    TASK_RETRIED(Severity.WARNING),
    /**
     * An agent host's report that one execution attempt ended ({@code data.outcome}: COMPLETED,
     * FAILED, TIMED_OUT or CANCELLED). It never ends the task: the scheduler decides, and records
     * the task's one final event.
     */
    TASK_ATTEMPT_ENDED(Severity.INFO),
    /** A client asked to cancel the task; the scheduler cancels it unless it has ended. */
    TASK_CANCEL_REQUESTED(Severity.INFO),

    MESSAGE_SENT(Severity.DEBUG),
    MESSAGE_DELIVERED(Severity.DEBUG),
    MESSAGE_REJECTED(Severity.WARNING),

    SERVICE_STARTED(Severity.INFO),
    SERVICE_STOPPED(Severity.INFO),
    SERVICE_ERROR(Severity.ERROR);

    private final Severity defaultSeverity;

    EventType(Severity defaultSeverity) {
        this.defaultSeverity = defaultSeverity;
    }

    /** The severity an event of this type carries unless its producer says otherwise. */
    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    /** True for the types that end a task: exactly one of them is recorded per task. */
    public boolean endsTask() {
        return this == TASK_COMPLETED || this == TASK_FAILED || this == TASK_TIMED_OUT || this == TASK_CANCELLED;
    }
}
