package io.miminions.scheduler;

import io.miminions.model.AcceptedTask;
import io.miminions.model.AgentStatus;
import io.miminions.model.TaskStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.Set;

/**
 * The scheduler's working state: the unfinished tasks, the dependencies they wait for, the ready
 * queue and the agents. Finished tasks leave it; the database remembers them. Not thread-safe:
 * one thread owns it, and every change it makes is recorded in the {@link StateChanges} passed in.
 */
public final class SchedulerState {

    private final Map<String, ScheduledTask> unfinished = new HashMap<>();
    private final DependencyGraph graph = new DependencyGraph();
    private final ReadyQueue ready = new ReadyQueue();
    private final AgentRoster agents = new AgentRoster();
    private long lastSeq;

    /** @param lastSeq the highest submission sequence already given out */
    public SchedulerState(long lastSeq) {
        this.lastSeq = lastSeq;
    }

    /** Puts back an agent's status read from storage. */
    public void restoreAgent(String agentId, AgentStatus status) {
        agents.update(agentId, status);
    }

    /**
     * Puts back an unfinished task read from storage.
     *
     * @param completed ids of tasks known to have completed, covering this task's dependencies that
     *                  are not unfinished tasks themselves
     */
    public void restore(ScheduledTask task, Set<String> completed, StateChanges changes) {
        unfinished.put(task.taskId(), task);
        switch (task.status()) {
            case PENDING -> awaitOrQueue(task, completed, changes);
            case QUEUED -> ready.add(task);
            case ASSIGNED, RUNNING -> agents.occupy(task.assignedAgent(), task.taskId());
            default -> throw new IllegalArgumentException("cannot restore the finished " + task);
        }
    }

    /** True when the task is known and not finished. */
    public boolean isUnfinished(String taskId) {
        return unfinished.containsKey(taskId);
    }

    /**
     * Takes a task the scheduler has never stored. It waits until its dependencies have completed,
     * or is queued at once.
     *
     * @param completed ids of tasks known to have completed, covering this task's dependencies that
     *                  are not unfinished tasks
     */
    public void accept(AcceptedTask accepted, Set<String> completed, StateChanges changes) {
        if (isUnfinished(accepted.taskId())) {
            throw new IllegalStateException("task " + accepted.taskId() + " was accepted already");
        }
        ScheduledTask task = ScheduledTask.received(accepted, ++lastSeq);
        unfinished.put(task.taskId(), task);
        changes.changed(task);
        awaitOrQueue(task, completed, changes);
    }

    /** An agent's lifecycle status changed. */
    public void agentChanged(String agentId, AgentStatus status, StateChanges changes) {
        if (agents.status(agentId) != status) {
            agents.update(agentId, status);
            changes.changed(agentId, status);
        }
    }

    /** The agent began this attempt; anything else (an old attempt, a repeat) is ignored. */
    public void started(String taskId, int attempt, StateChanges changes) {
        ScheduledTask task = current(taskId, attempt);
        if (task != null && task.status() == TaskStatus.ASSIGNED) {
            task.start();
            changes.changed(task);
        }
    }

    /** This attempt completed: the task is finished, its agent free, its dependants may become ready. */
    public void completed(String taskId, int attempt, Object output, StateChanges changes) {
        ScheduledTask task = current(taskId, attempt);
        if (task == null) {
            return;
        }
        task.complete(output);
        finish(task, changes);
        for (String dependantId : graph.release(taskId)) {
            queue(unfinished.get(dependantId), changes);
        }
    }

    /** This attempt failed: the task is finished and its agent free. */
    public void failed(String taskId, int attempt, String error, StateChanges changes) {
        ScheduledTask task = current(taskId, attempt);
        if (task == null) {
            return;
        }
        task.fail(error);
        finish(task, changes);
    }

    /**
     * Assigns ready tasks to free agents until one of them runs out. The next task is always the
     * ready task with the lowest (priority, submission) that one of the free agents may run; a task
     * for any agent goes to the longest idle free agent that has no ready task bound to it, if
     * there is one, else to the longest idle.
     */
    public void dispatch(StateChanges changes) {
        SequencedSet<String> free = agents.freeAgents();
        for (ScheduledTask next = ready.next(free); next != null; next = ready.next(free)) {
            String agentId = next.requestedAgent() != null ? next.requestedAgent() : agentFor(free);
            ready.remove(next);
            next.assignTo(agentId);
            agents.occupy(agentId, next.taskId());
            changes.assigned(next);
        }
    }

    /** The number of tasks waiting for a free agent. */
    public int readyCount() {
        return ready.size();
    }

    /** The number of running agents without a task. */
    public int freeAgentCount() {
        return agents.freeAgents().size();
    }

    /** The task if this is its current attempt and an agent holds it, else null. */
    private ScheduledTask current(String taskId, int attempt) {
        ScheduledTask task = unfinished.get(taskId);
        return task != null && task.isWithAgent() && task.attempt() == attempt ? task : null;
    }

    private void finish(ScheduledTask task, StateChanges changes) {
        unfinished.remove(task.taskId());
        agents.release(task.assignedAgent(), task.taskId());
        changes.changed(task);
    }

    private void awaitOrQueue(ScheduledTask task, Set<String> completed, StateChanges changes) {
        List<String> unmet = task.dependencies().stream().filter(id -> !completed.contains(id)).distinct().toList();
        if (unmet.isEmpty()) {
            queue(task, changes);
        } else {
            graph.await(task.taskId(), unmet);
        }
    }

    private void queue(ScheduledTask task, StateChanges changes) {
        task.queue();
        ready.add(task);
        changes.queued(task);
    }

    private String agentFor(SequencedSet<String> free) {
        return free.stream().filter(id -> !ready.hasTasksBoundTo(id)).findFirst().orElse(free.getFirst());
    }
}
