package io.miminions.scheduler;

import io.miminions.model.AcceptedTask;
import io.miminions.model.AgentStatus;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.HostHeartbeat;
import io.miminions.model.TaskInterrupt;
import io.miminions.model.TaskReason;
import io.miminions.model.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.SequencedSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scheduler's working state: the unfinished tasks, the dependencies they wait for, the ready
 * queue, the retries waiting for their backoff, the agents and their leases, and the cancel
 * requests for tasks not received yet. Finished tasks leave it; the database remembers them.
 *
 * <p>It is the one place that decides how a task ends: agent hosts report how each attempt ended
 * ({@code TASK_ATTEMPT_ENDED}), and the state turns the report of the current attempt, a cancel
 * request, a lease that ran out or a deadline that passed into exactly one final event, or a retry.
 * Not thread-safe: one thread owns it, passes the time in, and every change it makes is recorded in
 * the {@link StateChanges} passed in.
 */
public final class SchedulerState {

    /** The {@code source} of the events the scheduler produces. */
    public static final String SOURCE = "scheduler";

    private final Map<String, ScheduledTask> unfinished = new HashMap<>();
    private final DependencyGraph graph = new DependencyGraph();
    private final ReadyQueue ready = new ReadyQueue();
    /** Tasks waiting for their retry, soonest first. */
    private final NavigableSet<ScheduledTask> delayed = new TreeSet<>(
            Comparator.comparing(ScheduledTask::notBefore).thenComparingLong(ScheduledTask::seq));
    /** Tasks an agent holds (ASSIGNED or RUNNING), by id. */
    private final Map<String, ScheduledTask> withAgents = new HashMap<>();
    private final AgentRoster agents;
    private final Set<String> pendingCancels = new HashSet<>();
    private final Duration lease;
    private final Duration timeoutGrace;
    private long lastSeq;

    /**
     * @param lastSeq      the highest submission sequence already given out
     * @param lease        how long an agent and its attempt stay alive without news from their host
     * @param timeoutGrace how long after its timeout a running attempt whose host says nothing counts as timed out
     */
    public SchedulerState(long lastSeq, Duration lease, Duration timeoutGrace) {
        this(lastSeq, lease, timeoutGrace, 0);
    }

    /** @param prefetch how many tasks an agent may hold beyond the one it runs, given right after one of its tasks ends */
    public SchedulerState(long lastSeq, Duration lease, Duration timeoutGrace, int prefetch) {
        this.lastSeq = lastSeq;
        this.lease = lease;
        this.timeoutGrace = timeoutGrace;
        this.agents = new AgentRoster(prefetch);
    }

    /** Puts back an agent's status read from storage; its lease starts afresh. */
    public void restoreAgent(String agentId, AgentStatus status, Instant now) {
        agents.update(agentId, status);
        agents.renew(agentId, now.plus(lease));
    }

    /** Puts back a cancel request kept for a task not received yet. */
    public void restoreCancel(String taskId) {
        pendingCancels.add(taskId);
    }

    /**
     * Puts back an unfinished task read from storage. An attempt an agent holds gets a fresh lease
     * (and, when running, a fresh deadline): the hosts' heartbeats take over from there.
     *
     * @param stored what storage says of this task's dependencies that are not unfinished tasks themselves
     */
    public void restore(ScheduledTask task, Map<String, StoredTask> stored, Instant now, StateChanges changes) {
        unfinished.put(task.taskId(), task);
        switch (task.status()) {
            case PENDING -> awaitOrQueue(task, stored, changes);
            case QUEUED -> {
                if (task.notBefore() != null && task.notBefore().isAfter(now)) {
                    delayed.add(task);
                } else if (task.notBefore() != null) {
                    makeReady(task, changes);
                } else {
                    ready.add(task);
                }
            }
            case ASSIGNED, RUNNING -> {
                agents.occupy(task.assignedAgent(), task.taskId());
                withAgents.put(task.taskId(), task);
                task.renewLease(now.plus(lease));
                if (task.status() == TaskStatus.RUNNING) {
                    task.start(deadlineOf(task, now));
                }
            }
            default -> throw new IllegalArgumentException("cannot restore the finished " + task);
        }
    }

    /** True when the task is known and not finished. */
    public boolean isUnfinished(String taskId) {
        return unfinished.containsKey(taskId);
    }

    /**
     * Takes a task the scheduler has never stored. It is cancelled at once if a cancel request came
     * first, fails at once if a dependency has ended without completing, waits until its
     * dependencies have completed, or is queued.
     *
     * @param stored what storage says of this task's dependencies that are not unfinished tasks
     */
    public void accept(AcceptedTask accepted, Map<String, StoredTask> stored, Instant now, StateChanges changes) {
        if (isUnfinished(accepted.taskId())) {
            throw new IllegalStateException("task " + accepted.taskId() + " was accepted already");
        }
        ScheduledTask task = ScheduledTask.received(accepted, ++lastSeq);
        unfinished.put(task.taskId(), task);
        changes.changed(task);
        if (pendingCancels.remove(task.taskId())) {
            changes.forgetCancel(task.taskId());
            cancel(task, now, changes);
        } else {
            awaitOrQueue(task, stored, changes);
        }
    }

    /** An agent's lifecycle status changed; an agent that starts (again) gets a fresh lease. */
    public void agentChanged(String agentId, AgentStatus status, Instant now, StateChanges changes) {
        if (status == AgentStatus.RUNNING) {
            agents.renew(agentId, now.plus(lease));
        }
        if (agents.status(agentId) != status) {
            agents.update(agentId, status);
            changes.changed(agentId, status);
        }
    }

    /** The agent moves to another host: it gets no task until it is back, and is not reported lost meanwhile. */
    public void handedOver(String agentId) {
        agents.handedOver(agentId);
    }

    /**
     * A host is alive: the agents it names, and the attempts they execute, keep their leases for
     * {@code lease} from when it was sent (or from now, if its clock is ahead). Agents never
     * started are ignored.
     */
    public void heartbeat(HostHeartbeat heartbeat, Instant now) {
        Instant sent = heartbeat.sentAt() == null || heartbeat.sentAt().isAfter(now) ? now : heartbeat.sentAt();
        Instant until = sent.plus(lease);
        if (!until.isAfter(now)) {
            return;
        }
        for (HostHeartbeat.AgentLease named : heartbeat.agents()) {
            if (named.agentId() == null || agents.status(named.agentId()) == null) {
                continue;
            }
            agents.renew(named.agentId(), until, heartbeat.hostId());
            ScheduledTask task = named.taskId() == null ? null : withAgents.get(named.taskId());
            if (task != null && task.attempt() == named.attempt() && named.agentId().equals(task.assignedAgent())) {
                task.renewLease(until);
            }
        }
    }

    /** The agent began this attempt; anything else (an old attempt, a repeat) is ignored. */
    public void started(String taskId, int attempt, Instant now, StateChanges changes) {
        ScheduledTask task = current(taskId, attempt);
        if (task != null && task.status() == TaskStatus.ASSIGNED) {
            task.start(deadlineOf(task, now));
            task.renewLease(now.plus(lease));
            changes.changed(task);
        }
    }

    /**
     * The host reports how an attempt ended; only the current attempt of an unfinished task counts.
     * COMPLETED completes the task and releases its dependants; FAILED retries it after its backoff
     * while attempts are left, else fails it; TIMED_OUT times it out; CANCELLED (its agent was
     * stopped) queues it again. A task that ends without completing fails its dependants.
     *
     * @param data the report's data: {@code output} and {@code durationMs}, or {@code errorType} and {@code errorMessage}
     */
    public void attemptEnded(String taskId, int attempt, TaskStatus outcome, Map<String, Object> data, Instant now,
            StateChanges changes) {
        ScheduledTask task = current(taskId, attempt);
        if (task == null || outcome == null) {
            return;
        }
        String agentId = task.assignedAgent();
        switch (outcome) {
            case COMPLETED -> {
                letGo(task);
                task.complete(data.get("output"));
                finish(task, changes);
                changes.announce(event(EventType.TASK_COMPLETED, agentId, task,
                        "attempt", attempt, "output", data.get("output"), "durationMs", data.get("durationMs")));
                for (String dependantId : graph.release(taskId)) {
                    makeReady(unfinished.get(dependantId), changes);
                }
            }
            case FAILED -> {
                letGo(task);
                Object type = data.get("errorType");
                Object message = data.get("errorMessage");
                if (task.mayRetryAfterFailure()) {
                    Duration pause = task.backoffBeforeRetry();
                    task.requeue(now.plus(pause), true);
                    changes.announce(event(EventType.TASK_RETRIED, agentId, task, "attempt", attempt,
                            "reason", TaskReason.EXECUTION_FAILED.name(), "errorType", type, "errorMessage", message,
                            "retryInSeconds", pause.toSeconds(), "maxAttempts", task.maxAttempts()));
                    delay(task, now, changes);
                } else {
                    task.fail(type + ": " + message);
                    finish(task, changes);
                    changes.announce(event(EventType.TASK_FAILED, agentId, task, "attempt", attempt,
                            "errorType", type, "errorMessage", message, "attempts", task.failedAttempts()));
                    failDependants(task, changes);
                }
            }
            case TIMED_OUT -> {
                letGo(task);
                timeOut(task, agentId, changes);
            }
            case CANCELLED -> {
                letGo(task);
                task.requeue(null, false);
                changes.announce(event(EventType.TASK_RETRIED, agentId, task, "attempt", attempt,
                        "reason", TaskReason.AGENT_STOPPED.name(), "errorMessage", data.get("reason")));
                makeReady(task, changes);
            }
            default -> {
                // PENDING, QUEUED, ASSIGNED, RUNNING are no outcome of an attempt
            }
        }
    }

    /**
     * Cancels an unfinished task: a waiting one at once, a running one also on its agent (an
     * interrupt for its host). Its dependants fail. Answers false for a task not held here (not
     * received yet, or finished).
     */
    public boolean cancel(String taskId, Instant now, StateChanges changes) {
        ScheduledTask task = unfinished.get(taskId);
        if (task == null) {
            return false;
        }
        cancel(task, now, changes);
        return true;
    }

    /** Keeps a cancel request for a task not received yet: it is cancelled as soon as it arrives. */
    public void rememberCancel(String taskId, StateChanges changes) {
        if (pendingCancels.add(taskId)) {
            changes.rememberCancel(taskId);
        }
    }

    /**
     * What time alone changes: agents whose lease ran out are out of reach (AGENT_LOST for those
     * that should be running or paused: their host stopped sending heartbeats); an attempt whose lease
     * ran out is given up (an interrupt fences its host, should it still run) and its task queued
     * again; a running attempt past its timeout and grace times out; retries whose backoff has passed
     * are queued.
     */
    public void tick(Instant now, StateChanges changes) {
        agents.expire(now).forEach((agentId, hostId) -> changes.announce(Event.of(EventType.AGENT_LOST, SOURCE, agentId,
                null, hostId == null ? Map.of() : Map.of("host", hostId))));
        for (ScheduledTask task : List.copyOf(withAgents.values())) {
            if (task.leaseExpiresAt() != null && task.leaseExpiresAt().isBefore(now)) {
                String agentId = task.assignedAgent();
                int attempt = task.attempt();
                changes.interrupt(new TaskInterrupt(task.taskId(), attempt, agentId, TaskReason.LEASE_EXPIRED, now));
                letGo(task);
                task.requeue(null, false);
                changes.announce(event(EventType.TASK_RETRIED, agentId, task, "attempt", attempt,
                        "reason", TaskReason.LEASE_EXPIRED.name(),
                        "errorMessage", "no host renewed the lease of attempt " + attempt + " on agent " + agentId));
                makeReady(task, changes);
            } else if (task.deadline() != null && task.deadline().isBefore(now)) {
                String agentId = task.assignedAgent();
                changes.interrupt(new TaskInterrupt(task.taskId(), task.attempt(), agentId, TaskReason.TIMED_OUT, now));
                letGo(task);
                timeOut(task, agentId, changes);
            }
        }
        while (!delayed.isEmpty() && !delayed.first().notBefore().isAfter(now)) {
            makeReady(delayed.pollFirst(), changes);
        }
    }

    /**
     * Assigns ready tasks to free agents until one of them runs out. The next task is always the
     * ready task with the lowest (priority, submission) that one of the free agents may run; a task
     * for any agent goes to the longest idle free agent that has no ready task bound to it, if
     * there is one, else to the longest idle. Then, with a prefetch, the agents one of whose tasks
     * ended in this step take tasks ahead the same way, up to the prefetch, while more tasks are
     * ready than all the agents may hold ahead: a short queue is left to the agents that will be
     * free first, rather than piled on the first one whose task ended. Each assignment holds a lease
     * of {@code lease}.
     */
    public void dispatch(Instant now, StateChanges changes) {
        assign(agents.freeAgents(), 0, now, changes);
        if (!agents.refillingAgents().isEmpty()) {
            assign(agents.refillingAgents(), agents.aheadCapacity(), now, changes);
        }
        agents.endRefills();
    }

    /** Assigns ready tasks to these agents while more than {@code leave} are ready. */
    private void assign(SequencedSet<String> free, int leave, Instant now, StateChanges changes) {
        for (ScheduledTask next = ready.next(free); next != null && ready.size() > leave; next = ready.next(free)) {
            String agentId = next.requestedAgent() != null ? next.requestedAgent() : agentFor(free);
            ready.remove(next);
            next.assignTo(agentId, now.plus(lease));
            agents.occupy(agentId, next.taskId());
            withAgents.put(next.taskId(), next);
            changes.assigned(next);
        }
    }

    /** The number of tasks waiting for a free agent. */
    public int readyCount() {
        return ready.size();
    }

    /** The ready tasks by priority band, index = band. */
    public int[] readyByBand() {
        return ready.sizeByBand();
    }

    /** The number of tasks waiting for their retry. */
    public int delayedCount() {
        return delayed.size();
    }

    /** The number of running agents in reach without a task. */
    public int freeAgentCount() {
        return agents.freeAgents().size();
    }

    /** True when the agent's lease holds. */
    public boolean isReachable(String agentId) {
        return agents.isReachable(agentId);
    }

    /** The task if this is its current attempt and an agent holds it, else null. */
    private ScheduledTask current(String taskId, int attempt) {
        ScheduledTask task = withAgents.get(taskId);
        return task != null && task.attempt() == attempt ? task : null;
    }

    private Instant deadlineOf(ScheduledTask task, Instant started) {
        return started.plusSeconds(task.timeoutSeconds()).plus(timeoutGrace);
    }

    /** The task's agent no longer holds it. */
    private void letGo(ScheduledTask task) {
        agents.release(task.assignedAgent(), task.taskId());
        withAgents.remove(task.taskId());
    }

    private void finish(ScheduledTask task, StateChanges changes) {
        unfinished.remove(task.taskId());
        withAgents.remove(task.taskId());
        changes.changed(task);
    }

    private void timeOut(ScheduledTask task, String agentId, StateChanges changes) {
        int attempt = task.attempt();
        String message = "attempt " + attempt + " ran longer than the task's timeout of " + task.timeoutSeconds() + " s";
        task.timeOut(TaskReason.TIMED_OUT + ": " + message);
        finish(task, changes);
        changes.announce(event(EventType.TASK_TIMED_OUT, agentId, task, "attempt", attempt,
                "timeoutSeconds", task.timeoutSeconds(), "reason", TaskReason.TIMED_OUT.name(), "errorMessage", message));
        failDependants(task, changes);
    }

    private void cancel(ScheduledTask task, Instant now, StateChanges changes) {
        String agentId = task.assignedAgent();
        int attempt = task.attempt();
        if (task.isWithAgent()) {
            changes.interrupt(new TaskInterrupt(task.taskId(), attempt, agentId, TaskReason.CANCEL_REQUESTED, now));
            letGo(task);
        }
        ready.remove(task);
        if (task.notBefore() != null) {
            delayed.remove(task);
        }
        graph.forget(task.taskId());
        task.cancel(TaskReason.CANCEL_REQUESTED + ": cancelled on request");
        finish(task, changes);
        changes.announce(event(EventType.TASK_CANCELLED, agentId, task, "attempt", attempt == 0 ? null : attempt,
                "reason", TaskReason.CANCEL_REQUESTED.name(), "errorMessage", "cancelled on request"));
        failDependants(task, changes);
    }

    /**
     * Fails, transitively, the tasks waiting for one that ended without completing, each naming the
     * culprit: the task whose own failure, timeout or cancellation started the chain.
     */
    private void failDependants(ScheduledTask ended, StateChanges changes) {
        Deque<ScheduledTask> endedTasks = new ArrayDeque<>(List.of(ended));
        while (!endedTasks.isEmpty()) {
            ScheduledTask dependency = endedTasks.pollFirst();
            String culprit = dependency.failedDependency() != null ? dependency.failedDependency() : dependency.taskId();
            for (String dependantId : graph.dropDependantsOf(dependency.taskId())) {
                ScheduledTask dependant = unfinished.get(dependantId);
                if (dependant != null) {
                    failBecauseOfDependency(dependant, dependency.taskId(), dependency.status(), culprit, changes);
                    endedTasks.addLast(dependant);
                }
            }
        }
    }

    private void failBecauseOfDependency(ScheduledTask task, String dependencyId, TaskStatus dependencyStatus, String culprit,
            StateChanges changes) {
        graph.forget(task.taskId());
        ready.remove(task);
        String message = "dependency " + dependencyId + " ended " + dependencyStatus
                + (culprit.equals(dependencyId) ? "" : " because task " + culprit + " did not complete");
        task.failBecauseOf(culprit, TaskReason.DEPENDENCY_FAILED + ": " + message);
        finish(task, changes);
        changes.announce(event(EventType.TASK_FAILED, null, task, "reason", TaskReason.DEPENDENCY_FAILED.name(),
                "dependencyId", culprit, "errorMessage", message));
    }

    private void awaitOrQueue(ScheduledTask task, Map<String, StoredTask> stored, StateChanges changes) {
        List<String> unmet = new ArrayList<>();
        for (String dependency : task.dependencies().stream().distinct().toList()) {
            StoredTask known = unfinished.containsKey(dependency) ? null : stored.get(dependency);
            if (known == null || !known.status().isFinal()) {
                unmet.add(dependency);
            } else if (known.status() != TaskStatus.COMPLETED) {
                failBecauseOfDependency(task, dependency, known.status(), known.culprit(dependency), changes);
                failDependants(task, changes);
                return;
            }
        }
        if (unmet.isEmpty()) {
            makeReady(task, changes);
        } else {
            graph.await(task.taskId(), unmet);
        }
    }

    private void makeReady(ScheduledTask task, StateChanges changes) {
        task.queue();
        ready.add(task);
        changes.queued(task);
    }

    private void delay(ScheduledTask task, Instant now, StateChanges changes) {
        changes.changed(task);
        if (task.notBefore().isAfter(now)) {
            delayed.add(task);
        } else {
            makeReady(task, changes);
        }
    }

    private String agentFor(SequencedSet<String> free) {
        return free.stream().filter(id -> !ready.hasTasksBoundTo(id)).findFirst().orElse(free.getFirst());
    }

    private static Event event(EventType type, String agentId, ScheduledTask task, Object... keysAndValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                data.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return Event.of(type, SOURCE, agentId, task.taskId(), data);
    }
}
