package io.miminions.audit;

import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Priorities;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which events change the state of an agent or a task as the fleet metrics see it. The audit service
 * keeps the latest state of each agent ({@code audit.agent_states}) and task ({@code audit.task_states})
 * up to date in the transaction that stores the event.
 *
 * <ul>
 *   <li>An agent's state is its latest lifecycle event by {@code (time, seq)}; it runs while that is
 *       {@link #RUNNING}.</li>
 *   <li>A task's state is its latest {@link #TASK_PROGRESS} event by {@code (time, seq)}, except that an
 *       outcome ({@link EventType#endsTask()}) is final: the record holds one per task, and an event
 *       of another service whose clock runs behind must not revive an ended task.</li>
 *   <li>A completed task's duration is the {@code durationMs} its TASK_COMPLETED states, else the time
 *       from its latest TASK_STARTED to its TASK_COMPLETED.</li>
 * </ul>
 */
public final class FleetStateRules {

    /** The events of an agent's lifecycle. */
    public static final Set<EventType> AGENT_LIFECYCLE = Set.copyOf(EnumSet.of(EventType.AGENT_REGISTERED,
            EventType.AGENT_STARTED, EventType.AGENT_PAUSED, EventType.AGENT_RESUMED, EventType.AGENT_STOPPED,
            EventType.AGENT_FAILED, EventType.AGENT_DEREGISTERED));

    /** An agent whose latest lifecycle event is one of these is running. */
    public static final Set<EventType> RUNNING = Set.copyOf(EnumSet.of(EventType.AGENT_STARTED, EventType.AGENT_RESUMED));

    /** The events that move a task along; {@code TASK_REJECTED} is not one (the task never entered the fleet). */
    public static final Set<EventType> TASK_PROGRESS = Set.copyOf(EnumSet.of(EventType.TASK_SUBMITTED,
            EventType.TASK_QUEUED, EventType.TASK_ASSIGNED, EventType.TASK_STARTED, EventType.TASK_RETRIED,
            EventType.TASK_COMPLETED, EventType.TASK_FAILED, EventType.TASK_TIMED_OUT, EventType.TASK_CANCELLED));

    /** The outcomes counted as failed tasks: the task's own failure or its deadline; a cancellation is not. */
    public static final Set<EventType> FAILED = Set.copyOf(EnumSet.of(EventType.TASK_FAILED, EventType.TASK_TIMED_OUT));

    private FleetStateRules() {
    }

    public static boolean changesAgentState(Event event) {
        return event.agentId() != null && AGENT_LIFECYCLE.contains(event.type());
    }

    public static boolean changesTaskState(Event event) {
        return event.taskId() != null && TASK_PROGRESS.contains(event.type());
    }

    /** The priority an event states ({@code data.priority} of TASK_SUBMITTED and TASK_QUEUED), or null. */
    public static Integer priorityOf(Event event) {
        return event.data().get("priority") instanceof Number n && Priorities.isValid(n.intValue()) ? n.intValue() : null;
    }

    /** How long the agent ran the task, as its TASK_COMPLETED states it ({@code data.durationMs}), or null. */
    public static Long durationMsOf(Event event) {
        return event.type() == EventType.TASK_COMPLETED && event.data().get("durationMs") instanceof Number n
                && n.longValue() >= 0 ? n.longValue() : null;
    }

    /**
     * The priority band a queued task is counted in: {@link Priorities#partitionOf}; a task whose
     * priority no event stated counts in the band of {@link Priorities#DEFAULT}.
     */
    public static int bandOf(Integer priority) {
        return Priorities.partitionOf(priority == null || !Priorities.isValid(priority) ? Priorities.DEFAULT : priority);
    }
}
