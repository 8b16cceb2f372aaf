package io.miminions.intake.listener;

import io.miminions.intake.IntakeTask;
import io.miminions.intake.RegisteredAgent;
import io.miminions.intake.service.Waiters;
import io.miminions.model.AgentStatus;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.TaskStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Keeps the intake's view of tasks and agents current from {@code miminions.events}, and wakes
 * the clients waiting on them. Applying an event twice changes nothing, and a final task status is
 * never overwritten.
 */
@ApplicationScoped
public class FleetEventProjection {

    private static final Logger LOG = Logger.getLogger(FleetEventProjection.class);

    private final Mutiny.SessionFactory sessions;
    private final Waiters waiters;

    FleetEventProjection(Mutiny.SessionFactory sessions, Waiters waiters) {
        this.sessions = sessions;
        this.waiters = waiters;
    }

    @Incoming("fleet-events")
    public Uni<Void> apply(String json) {
        Event event;
        try {
            event = Json.read(json, Event.class);
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping a record on miminions.events that is not an event: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (event.type() == null) {
            return Uni.createFrom().voidItem();
        }
        TaskStatus taskStatus = taskStatusAfter(event);
        if (taskStatus != null && event.taskId() != null) {
            return sessions.withTransaction(session -> session.find(IntakeTask.class, event.taskId())
                    .invoke(task -> applyToTask(task, taskStatus, event)))
                    .invoke(() -> waiters.signal(event.taskId()))
                    .replaceWithVoid();
        }
        if (changesAgent(event.type()) && event.agentId() != null) {
            return sessions.withTransaction(session -> session.find(RegisteredAgent.class, event.agentId())
                    .invoke(agent -> applyToAgent(agent, event)))
                    .invoke(() -> waiters.signal(event.agentId()))
                    .replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * Moves the task to the status the event implies. A final status is never left. Within one attempt
     * a status only moves forward (events of one task can arrive out of order, since the scheduler and
     * the agent host publish them); an event of a later attempt starts that attempt, and an event of an
     * earlier one changes nothing. TASK_RETRIED puts the task back to QUEUED.
     */
    static void applyToTask(IntakeTask task, TaskStatus status, Event event) {
        if (task == null || task.status.isFinal()) {
            return;
        }
        Integer attempt = event.data().get("attempt") instanceof Number n ? n.intValue() : null;
        int current = task.attempt == null ? 0 : task.attempt;
        if (status.isFinal()) {
            if (attempt != null && attempt > current) {
                task.attempt = attempt;
            }
        } else if (event.type() == EventType.TASK_RETRIED) {
            if (attempt != null && attempt < current) {
                return;
            }
        } else if (attempt != null && attempt > current) {
            task.attempt = attempt;
        } else if (attempt != null && attempt < current || status.compareTo(task.status) <= 0) {
            return;
        }
        task.status = status;
        task.updatedAt = event.time();
        if (event.agentId() != null && event.type() != EventType.TASK_RETRIED) {
            task.ranOnAgentId = event.agentId();
        }
        if (event.type() == EventType.TASK_STARTED) {
            task.startedAt = event.time();
        }
        Map<String, Object> data = event.data();
        if (status == TaskStatus.COMPLETED && data.get("output") instanceof Map<?, ?> output) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) output;
            task.output = typed;
        } else if (status.isFinal() && status != TaskStatus.COMPLETED) {
            task.error = describeError(data);
        }
    }

    /**
     * Moves the agent to what its host reported. Events of an earlier run (generation) than the
     * agent's current one change nothing. A stop or failure also ends the desired run, so the agent
     * leaves the concurrent-agents count and accepts a new start; a hand-over or a lost host only
     * clears the host the agent runs on, if it is still the one named.
     */
    static void applyToAgent(RegisteredAgent agent, Event event) {
        if (agent == null) {
            return;
        }
        Object generation = event.data().get("generation");
        if (generation instanceof Number n && n.longValue() < agent.generation) {
            return;
        }
        String host = event.data().get("host") instanceof String h ? h : null;
        agent.updatedAt = event.time();
        switch (event.type()) {
            case AGENT_STARTED, AGENT_RESUMED, AGENT_PAUSED -> {
                agent.status = event.type() == EventType.AGENT_PAUSED ? AgentStatus.PAUSED : AgentStatus.RUNNING;
                agent.hostId = host;
                agent.reason = null;
            }
            case AGENT_STOPPED, AGENT_FAILED -> {
                agent.status = event.type() == EventType.AGENT_FAILED ? AgentStatus.FAILED : AgentStatus.STOPPED;
                agent.desiredStatus = agent.status;
                agent.active = false;
                agent.hostId = null;
                agent.reason = agent.status == AgentStatus.FAILED ? String.valueOf(event.data().get("reason")) : null;
            }
            case AGENT_HANDED_OVER, AGENT_LOST -> {
                if (host == null || host.equals(agent.hostId)) {
                    agent.hostId = null;
                }
                if (event.type() == EventType.AGENT_LOST) {
                    agent.reason = "its host " + host + " stopped sending heartbeats; it is placed on another host";
                }
            }
            default -> {
            }
        }
    }

    /**
     * The error of a task that did not complete: {@code errorType: errorMessage} for an exception
     * from {@code execute}, else {@code reason: errorMessage} (such as {@code DEPENDENCY_FAILED: ...}).
     */
    static String describeError(Map<String, Object> data) {
        Object type = data.get("errorType");
        Object message = data.get("errorMessage");
        Object reason = data.get("reason");
        if (type != null) {
            return type + ": " + message;
        }
        if (message == null) {
            return reason == null ? null : String.valueOf(reason);
        }
        return reason == null ? String.valueOf(message) : reason + ": " + message;
    }

    static TaskStatus taskStatusAfter(Event event) {
        return switch (event.type()) {
            case TASK_QUEUED, TASK_RETRIED -> TaskStatus.QUEUED;
            case TASK_ASSIGNED -> TaskStatus.ASSIGNED;
            case TASK_STARTED -> TaskStatus.RUNNING;
            case TASK_COMPLETED -> TaskStatus.COMPLETED;
            case TASK_FAILED -> TaskStatus.FAILED;
            case TASK_TIMED_OUT -> TaskStatus.TIMED_OUT;
            case TASK_CANCELLED -> TaskStatus.CANCELLED;
            default -> null;
        };
    }

    /** True for the events that change what the intake knows of an agent. */
    static boolean changesAgent(EventType type) {
        return switch (type) {
            case AGENT_STARTED, AGENT_RESUMED, AGENT_PAUSED, AGENT_STOPPED, AGENT_FAILED, AGENT_HANDED_OVER, AGENT_LOST -> true;
            default -> false;
        };
    }
}
