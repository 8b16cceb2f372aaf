package io.miminions.scheduler;

import io.miminions.model.AgentStatus;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.TaskInterrupt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * What one step of the scheduler changed: the task and agent rows to write, the cancel requests to
 * remember or forget, and what to announce (events, assignments, interrupts), all saved in one
 * transaction.
 */
public final class StateChanges {

    private final SequencedSet<ScheduledTask> tasks = new LinkedHashSet<>();
    private final Map<String, AgentStatus> agents = new LinkedHashMap<>();
    private final List<ScheduledTask> queued = new ArrayList<>();
    private final List<ScheduledTask> assigned = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final List<Event> timeline = new ArrayList<>();
    private final List<TaskInterrupt> interrupts = new ArrayList<>();
    private final SequencedSet<String> cancelsRemembered = new LinkedHashSet<>();
    private final SequencedSet<String> cancelsForgotten = new LinkedHashSet<>();

    void changed(ScheduledTask task) {
        tasks.add(task);
    }

    void changed(String agentId, AgentStatus status) {
        agents.put(agentId, status);
    }

    void queued(ScheduledTask task) {
        changed(task);
        queued.add(task);
        timeline.add(Event.of(EventType.TASK_QUEUED, SchedulerState.SOURCE, null, task.taskId(), Map.of("priority", task.priority())));
    }

    void assigned(ScheduledTask task) {
        changed(task);
        assigned.add(task);
    }

    /** An event that announces a transition the scheduler decided (an outcome, a retry). */
    void announce(Event event) {
        events.add(event);
        timeline.add(event);
    }

    void interrupt(TaskInterrupt interrupt) {
        interrupts.add(interrupt);
    }

    void rememberCancel(String taskId) {
        cancelsForgotten.remove(taskId);
        cancelsRemembered.add(taskId);
    }

    void forgetCancel(String taskId) {
        if (!cancelsRemembered.remove(taskId)) {
            cancelsForgotten.add(taskId);
        }
    }

    /** The tasks whose row changed, in the order they first changed. */
    public SequencedSet<ScheduledTask> tasks() {
        return Collections.unmodifiableSequencedSet(tasks);
    }

    /** The agents whose status changed, with their new status. */
    public Map<String, AgentStatus> agents() {
        return Collections.unmodifiableMap(agents);
    }

    /** The tasks that became ready to run. */
    public List<ScheduledTask> queued() {
        return Collections.unmodifiableList(queued);
    }

    /** The tasks handed to an agent. */
    public List<ScheduledTask> assigned() {
        return Collections.unmodifiableList(assigned);
    }

    /** The outcome and retry events, in the order they happened. */
    public List<Event> events() {
        return Collections.unmodifiableList(events);
    }

    /**
     * The events to publish, in the order they happened: the outcome and retry events and a
     * {@code TASK_QUEUED} for each task that became ready. One step may take several inputs, so a task
     * can be queued and then end (cancelled) within one step: its events keep that order.
     */
    public List<Event> timeline() {
        return Collections.unmodifiableList(timeline);
    }

    /** The attempts agent hosts must stop executing. */
    public List<TaskInterrupt> interrupts() {
        return Collections.unmodifiableList(interrupts);
    }

    /** Cancel requests for tasks not received yet, to keep until they arrive. */
    public SequencedSet<String> cancelsRemembered() {
        return Collections.unmodifiableSequencedSet(cancelsRemembered);
    }

    /** Kept cancel requests that have been carried out. */
    public SequencedSet<String> cancelsForgotten() {
        return Collections.unmodifiableSequencedSet(cancelsForgotten);
    }

    public boolean isEmpty() {
        return tasks.isEmpty() && agents.isEmpty() && events.isEmpty() && interrupts.isEmpty()
                && cancelsRemembered.isEmpty() && cancelsForgotten.isEmpty();
    }
}
