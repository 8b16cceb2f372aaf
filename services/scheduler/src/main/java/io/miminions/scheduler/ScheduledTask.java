package io.miminions.scheduler;

import io.miminions.model.AcceptedTask;
import io.miminions.model.TaskStatus;
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

    /** The order of the ready queue: lowest priority number first, then first submitted first. */
    public static final Comparator<ScheduledTask> BY_PRIORITY_THEN_SUBMISSION =
            Comparator.comparingInt(ScheduledTask::priority).thenComparingLong(ScheduledTask::seq);

    private final AcceptedTask accepted;
    private final long seq;
    private TaskStatus status;
    private int attempt;
    private String assignedAgent;
    private Object output;
    private String error;

    /**
     * @param seq     the submission sequence: the order in which the scheduler received the task
     * @param status  its current status
     * @param attempt how many times it has been assigned
     * @param assignedAgent the agent of the current attempt, or null
     */
    public ScheduledTask(AcceptedTask accepted, long seq, TaskStatus status, int attempt, String assignedAgent) {
        this.accepted = accepted;
        this.seq = seq;
        this.status = status;
        this.attempt = attempt;
        this.assignedAgent = assignedAgent;
    }

    /** A task just received: pending, never assigned. */
    public static ScheduledTask received(AcceptedTask accepted, long seq) {
        return new ScheduledTask(accepted, seq, TaskStatus.PENDING, 0, null);
    }

    /** Its dependencies are met: it waits for a free agent. */
    void queue() {
        move(EnumSet.of(TaskStatus.PENDING), TaskStatus.QUEUED);
    }

    /** Hands the next attempt to an agent. */
    void assignTo(String agentId) {
        move(EnumSet.of(TaskStatus.QUEUED), TaskStatus.ASSIGNED);
        attempt++;
        assignedAgent = agentId;
    }

    /** The agent began the current attempt. */
    void start() {
        move(EnumSet.of(TaskStatus.ASSIGNED), TaskStatus.RUNNING);
    }

    /** The current attempt succeeded with this output. */
    void complete(Object result) {
        move(EnumSet.of(TaskStatus.ASSIGNED, TaskStatus.RUNNING), TaskStatus.COMPLETED);
        output = result;
    }

    /** The current attempt failed for this reason. */
    void fail(String reason) {
        move(EnumSet.of(TaskStatus.ASSIGNED, TaskStatus.RUNNING), TaskStatus.FAILED);
        error = reason;
    }

    /** True while an agent holds the current attempt. */
    public boolean isWithAgent() {
        return status == TaskStatus.ASSIGNED || status == TaskStatus.RUNNING;
    }

    private void move(Set<TaskStatus> allowed, TaskStatus next) {
        if (!allowed.contains(status)) {
            throw new IllegalStateException("task " + taskId() + " cannot become " + next + " from " + status
                    + "; it must be one of " + allowed);
        }
        status = next;
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

    public long seq() {
        return seq;
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

    /** The output of a completed task, else null. */
    public Object output() {
        return output;
    }

    /** Why a failed task failed, else null. */
    public String error() {
        return error;
    }

    @Override
    public String toString() {
        return "task " + taskId() + " (" + status + ", priority " + priority() + ", seq " + seq + ")";
    }
}
