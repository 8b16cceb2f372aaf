package io.miminions.intake.listener;

import io.miminions.intake.IntakeTask;
import io.miminions.intake.RegisteredAgent;
import io.miminions.intake.service.Waiters;
import io.miminions.model.AgentStatus;
import io.miminions.model.Event;
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
        AgentStatus agentStatus = agentStatusAfter(event);
        if (agentStatus != null && event.agentId() != null) {
            return sessions.withTransaction(session -> session.find(RegisteredAgent.class, event.agentId())
                    .invoke(agent -> applyToAgent(agent, agentStatus, event)))
                    .invoke(() -> waiters.signal(event.agentId()))
                    .replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }

    private static void applyToTask(IntakeTask task, TaskStatus status, Event event) {
        if (task == null || task.status.isFinal() || task.status.compareTo(status) > 0 && !status.isFinal()) {
            return;
        }
        task.status = status;
        task.updatedAt = event.time();
        if (event.agentId() != null) {
            task.ranOnAgentId = event.agentId();
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

    private static void applyToAgent(RegisteredAgent agent, AgentStatus status, Event event) {
        if (agent == null) {
            return;
        }
        agent.status = status;
        agent.updatedAt = event.time();
        agent.reason = status == AgentStatus.FAILED ? String.valueOf(event.data().get("reason")) : null;
    }

    static String describeError(Map<String, Object> data) {
        Object type = data.get("errorType");
        Object message = data.get("errorMessage");
        if (type == null && message == null) {
            return data.containsKey("reason") ? String.valueOf(data.get("reason")) : null;
        }
        return type == null ? String.valueOf(message) : type + ": " + message;
    }

    static TaskStatus taskStatusAfter(Event event) {
        return switch (event.type()) {
            case TASK_QUEUED -> TaskStatus.QUEUED;
            case TASK_ASSIGNED -> TaskStatus.ASSIGNED;
            case TASK_STARTED -> TaskStatus.RUNNING;
            case TASK_COMPLETED -> TaskStatus.COMPLETED;
            case TASK_FAILED -> TaskStatus.FAILED;
            case TASK_TIMED_OUT -> TaskStatus.TIMED_OUT;
            case TASK_CANCELLED -> TaskStatus.CANCELLED;
            default -> null;
        };
    }

    static AgentStatus agentStatusAfter(Event event) {
        return switch (event.type()) {
            case AGENT_STARTED, AGENT_RESUMED -> AgentStatus.RUNNING;
            case AGENT_PAUSED -> AgentStatus.PAUSED;
            case AGENT_STOPPED -> AgentStatus.STOPPED;
            case AGENT_FAILED -> AgentStatus.FAILED;
            default -> null;
        };
    }
}
