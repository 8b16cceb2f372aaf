package io.miminions.model;

/**
 * Why the scheduler ended a task, or gave one of its attempts up, other than by the outcome the
 * agent reported: the {@code reason} in the data of {@code TASK_FAILED}, {@code TASK_TIMED_OUT},
 * {@code TASK_CANCELLED} and {@code TASK_RETRIED} events, and of {@link TaskInterrupt}.
 */
public enum TaskReason {
    /** A dependency failed, timed out or was cancelled; {@code dependencyId} names it. */
    DEPENDENCY_FAILED,
    /** A client asked to cancel the task. */
    CANCEL_REQUESTED,
    /** The attempt ran longer than the task's {@code timeoutSeconds}. */
    TIMED_OUT,
    /** {@code execute} threw (or the output was not JSON): the attempt failed. */
    EXECUTION_FAILED,
    /** No host renewed the attempt's lease in time: its host is presumed dead. */
    LEASE_EXPIRED,
    /** The agent was stopped while it executed the attempt. */
    AGENT_STOPPED
}
