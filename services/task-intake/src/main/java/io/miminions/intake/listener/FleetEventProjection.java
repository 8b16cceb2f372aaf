package io.miminions.intake.listener;

import io.miminions.intake.IntakeTask;
import io.miminions.intake.service.AgentRegistry;
import io.miminions.intake.service.Waiters;
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
    private final AgentRegistry agents;

    FleetEventProjection(Mutiny.SessionFactory sessions, Waiters waiters, AgentRegistry agents) {
        this.sessions = sessions;
        this.waiters = waiters;
        this.agents = agents;
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
        if (AgentRegistry.changesAgent(event.type()) && event.agentId() != null) {
            return agents.applyHostReport(event);
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

}
