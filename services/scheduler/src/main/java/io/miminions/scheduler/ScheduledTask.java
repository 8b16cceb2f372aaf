package io.miminions.scheduler;

import io.miminions.model.AcceptedTask;
import io.miminions.model.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One task as the scheduler tracks it: what was accepted, and where it is in its life. Only the
 * scheduler's own thread touches it.
 */
public final class ScheduledTask {

    /**
     * The order of the ready queue: lowest priority number first, then first accepted first. The
     * acceptance order is the intake's submission number, so it holds across the partitions of
     * {@code miminions.tasks}; tasks without one (from other producers) follow the numbered ones of
     * their priority, in the order the scheduler received them.
     */
    public static final Comparator<ScheduledTask> BY_PRIORITY_THEN_SUBMISSION =
            Comparator.comparingInt(ScheduledTask::priority)
                    .thenComparingLong(ScheduledTask::submissionOrder)
                    .thenComparingLong(ScheduledTask::seq);

    private static final Set<TaskStatus> WITH_AGENT = EnumSet.of(TaskStatus.ASSIGNED, TaskStatus.RUNNING);

    private final AcceptedTask accepted;
    private final long seq;
    private TaskStatus status;
    private int attempt;
    private String assignedAgent;
    private int failedAttempts;
    private Instant notBefore;
    private String failedDependency;
    private Object output;
    private String error;
    /** In memory only: until when the current attempt's lease holds. */
    private Instant leaseExpiresAt;
    /** In memory only: when a running attempt counts as timed out if its host has not said so. */
    private Instant deadline;

    /**
     * @param seq            the order in which the scheduler received the task
     * @param status         its current status
     * @param attempt        how many times it has been assigned
     * @param assignedAgent  the agent of the current attempt, or null
     * @param failedAttempts how many of its attempts failed
     * @param notBefore      for a task waiting to be retried, when it may run again; else null
     */
    public ScheduledTask(AcceptedTask accepted, long seq, TaskStatus status, int attempt, String assignedAgent,
            int failedAttempts, Instant notBefore) {
        this.accepted = accepted;
        this.seq = seq;
        this.status = status;
        this.attempt = attempt;
        this.assignedAgent = assignedAgent;
        this.failedAttempts = failedAttempts;
        this.notBefore = notBefore;
    }

    public ScheduledTask(AcceptedTask accepted, long seq, TaskStatus status, int attempt, String assignedAgent) {
        this(accepted, seq, status, attempt, assignedAgent, 0, null);
    }

    /** A task just received: pending, never assigned. */
    public static ScheduledTask received(AcceptedTask accepted, long seq) {
        return new ScheduledTask(accepted, seq, TaskStatus.PENDING, 0, null);
    }

    /** Its dependencies are met, or its retry is due: it waits for a free agent. */
    void queue() {
        move(EnumSet.of(TaskStatus.PENDING, TaskStatus.QUEUED), TaskStatus.QUEUED);
        notBefore = null;
    }

    /** Hands the next attempt to an agent, with a lease until {@code leaseUntil}. */
    void assignTo(String agentId, Instant leaseUntil) {
        move(EnumSet.of(TaskStatus.QUEUED), TaskStatus.ASSIGNED);
        attempt++;
        assignedAgent = agentId;
        leaseExpiresAt = leaseUntil;
        deadline = null;
    }

    /** The agent began the current attempt; it counts as timed out after {@code timeoutDeadline}. */
    void start(Instant timeoutDeadline) {
        move(WITH_AGENT, TaskStatus.RUNNING);
        deadline = timeoutDeadline;
    }

    /** The current attempt's lease holds until {@code until} (never shortened). */
    void renewLease(Instant until) {
        if (leaseExpiresAt == null || until.isAfter(leaseExpiresAt)) {
            leaseExpiresAt = until;
        }
    }

    /** The current attempt succeeded with this output. */
    void complete(Object result) {
        move(WITH_AGENT, TaskStatus.COMPLETED);
        output = result;
    }

    /** The current attempt failed for this reason; no attempt is left. */
    void fail(String reason) {
        failedAttempts++;
        end(TaskStatus.FAILED, reason);
    }

    /** A dependency did not complete: {@code culprit} is the task whose failure caused it. */
    void failBecauseOf(String culprit, String reason) {
        move(EnumSet.of(TaskStatus.PENDING, TaskStatus.QUEUED), TaskStatus.FAILED);
        failedDependency = culprit;
        error = reason;
    }

    /** The current attempt ran past the task's timeout. */
    void timeOut(String reason) {
        end(TaskStatus.TIMED_OUT, reason);
    }

    /** Cancelled on request, whatever it was doing. */
    void cancel(String reason) {
        move(EnumSet.of(TaskStatus.PENDING, TaskStatus.QUEUED, TaskStatus.ASSIGNED, TaskStatus.RUNNING), TaskStatus.CANCELLED);
        error = reason;
    }

    /**
     * The current attempt is given up and the task waits to run again, from {@code runAt} (null: at
     * once); {@code failed} says whether the attempt counts against {@code maxAttempts}.
     */
    void requeue(Instant runAt, boolean failed) {
        move(WITH_AGENT, TaskStatus.QUEUED);
        if (failed) {
            failedAttempts++;
        }
        assignedAgent = null;
        leaseExpiresAt = null;
        deadline = null;
        notBefore = runAt;
    }

    private void end(TaskStatus next, String reason) {
        move(WITH_AGENT, next);
        error = reason;
    }

    /** True while an agent holds the current attempt. */
    public boolean isWithAgent() {
        return WITH_AGENT.contains(status);
    }

    /** True when another failed attempt would still be retried. */
    boolean mayRetryAfterFailure() {
        return failedAttempts + 1 < maxAttempts();
    }

    /**
     * The pause before retrying once the current attempt failed: the backoff after the first failure,
     * doubled after each further one.
     */
    Duration backoffBeforeRetry() {
        return Duration.ofSeconds((long) backoffSeconds() << Math.min(20, failedAttempts));
    }

    private void move(Set<TaskStatus> allowed, TaskStatus next) {
        if (!allowed.contains(status)) {
            throw new IllegalStateException("task " + taskId() + " cannot become " + next + " from " + status
                    + "; it must be one of " + allowed);
        }
        status = next;
    }

    public AcceptedTask accepted() {
        return accepted;
    }

    public String taskId() {
        return accepted.taskId();
    }

    public int priority() {
        return accepted.priority();
    }

    public List<String> dependencies() {
        return accepted.dependencies();
    }

    /** The agent the task must run on, or null for any agent. */
    public String requestedAgent() {
        return accepted.agentId();
    }

    public String name() {
        return accepted.name();
    }

    public Map<String, Object> input() {
        return accepted.input();
    }

    public int timeoutSeconds() {
        return accepted.timeoutSeconds();
    }

    public Instant submittedAt() {
        return accepted.submittedAt();
    }

    /** The intake's submission number, or null. */
    public Long submissionSeq() {
        return accepted.submissionSeq();
    }

    public int maxAttempts() {
        return accepted.maxAttempts() == null ? 1 : Math.max(1, accepted.maxAttempts());
    }

    public int backoffSeconds() {
        return accepted.backoffSeconds() == null ? 1 : Math.max(0, accepted.backoffSeconds());
    }

    public long seq() {
        return seq;
    }

    private long submissionOrder() {
        return accepted.submissionSeq() == null ? Long.MAX_VALUE : accepted.submissionSeq();
    }

    public TaskStatus status() {
        return status;
    }

    public int attempt() {
        return attempt;
    }

    public String assignedAgent() {
        return assignedAgent;
    }

    public int failedAttempts() {
        return failedAttempts;
    }

    /** For a task waiting to be retried, when it may run again; else null. */
    public Instant notBefore() {
        return notBefore;
    }

    /** For a task failed because a dependency did not complete, the task that caused it; else null. */
    public String failedDependency() {
        return failedDependency;
    }

    public Instant leaseExpiresAt() {
        return leaseExpiresAt;
    }

    public Instant deadline() {
        return deadline;
    }

    /** The output of a completed task, else null. */
    public Object output() {
        return output;
    }

    /** Why a task that did not complete ended, else null. */
    public String error() {
        return error;
    }

    @Override
    public String toString() {
        return "task " + taskId() + " (" + status + ", priority " + priority() + ", seq " + seq + ")";
    }
}
