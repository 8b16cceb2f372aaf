package io.miminions.intake.listener;

import io.miminions.intake.IntakeTask;
import io.miminions.intake.repository.IntakeTasks;
import io.miminions.intake.service.AgentRegistry;
import io.miminions.intake.service.Waiters;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.TaskStatus;
import io.miminions.model.Topics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the intake's view of tasks and agents current from {@code miminions.events}, one polled batch
 * at a time, and wakes the clients waiting on them. The task events of a batch are applied in one
 * transaction: one query loads the status and attempt of every task they name, the events change the
 * loaded tasks in their order (events of one task share a partition, so they keep the order they were
 * published in), the changed tasks are written as one statement batch, and the queue length goes down
 * by the tasks that reached a final status. Agent events go through
 * {@link AgentRegistry#applyHostReport}, one after another. Applying an event twice changes nothing,
 * and a final task status is never overwritten. While the database is unreachable a batch is retried;
 * its offsets are committed once it is applied. An event whose {@link Topics#TYPE_HEADER} names a type
 * the projection does not use is passed over unparsed (TASK_SUBMITTED, TASK_ATTEMPT_ENDED, messages…).
 */
@ApplicationScoped
public class FleetEventProjection {

    private static final Logger LOG = Logger.getLogger(FleetEventProjection.class);
    /** The longest error text the task row keeps (its column's length). */
    private static final int MAX_ERROR_LENGTH = 4000;

    private final Pool pool;
    private final IntakeTasks tasks;
    private final Waiters waiters;
    private final AgentRegistry agents;

    FleetEventProjection(Pool pool, IntakeTasks tasks, Waiters waiters, AgentRegistry agents) {
        this.pool = pool;
        this.tasks = tasks;
        this.waiters = waiters;
        this.agents = agents;
    }

    /** Applies the events of one polled batch, in order; the connector acknowledges the batch once this completes. */
    @Incoming("fleet-events")
    public Uni<Void> apply(ConsumerRecords<String, String> records) {
        List<Event> taskEvents = new ArrayList<>();
        List<Event> agentEvents = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            Event event = readIfUsed(record);
            if (event == null) {
                continue;
            }
            if (taskStatusAfter(event.type()) != null && event.taskId() != null) {
                taskEvents.add(event);
            } else if (AgentRegistry.changesAgent(event.type()) && event.agentId() != null) {
                agentEvents.add(event);
            }
        }
        return UntilDone.retry("apply task events", () -> applyToTasks(taskEvents))
                .chain(() -> Multi.createFrom().iterable(agentEvents)
                        .onItem().transformToUniAndConcatenate(event -> UntilDone.retry("apply an agent event",
                                () -> agents.applyHostReport(event)))
                        .collect().last())
                .replaceWithVoid();
    }

    /**
     * Applies task events in one transaction and wakes the waiters of their tasks. An event of a task
     * the intake does not know changes nothing.
     */
    private Uni<Void> applyToTasks(List<Event> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<String> taskIds = events.stream().map(Event::taskId).collect(Collectors.toCollection(LinkedHashSet::new));
        return pool.withTransaction(connection -> tasks.progressOf(connection, taskIds)
                        .chain(loaded -> {
                            List<IntakeTask> changed = applyInOrder(events,
                                    loaded.stream().collect(Collectors.toMap(t -> t.taskId, t -> t)));
                            long ended = changed.stream().filter(task -> task.status.isFinal()).count();
                            return Uni.combine().all().unis(tasks.saveProgress(connection, changed), tasks.release(connection, ended))
                                    .discardItems();
                        }))
                .invoke(() -> taskIds.forEach(waiters::signal));
    }

    /**
     * Applies task events, in order, to the tasks they name ({@link #applyToTask}); answers the tasks
     * they changed, each once.
     */
    static List<IntakeTask> applyInOrder(List<Event> events, Map<String, IntakeTask> tasksById) {
        Set<IntakeTask> changed = new LinkedHashSet<>();
        for (Event event : events) {
            IntakeTask task = tasksById.get(event.taskId());
            if (task != null && applyToTask(task, taskStatusAfter(event.type()), event)) {
                changed.add(task);
            }
        }
        return List.copyOf(changed);
    }

    /** The record's event, or null when its type header names a type the projection does not use, or it is not an event. */
    static Event readIfUsed(ConsumerRecord<String, String> record) {
        if (record.value() == null || Topics.passesOver(record.headers(), FleetEventProjection::uses)) {
            return null;
        }
        return read(record.value());
    }

    private static boolean uses(EventType type) {
        return taskStatusAfter(type) != null || AgentRegistry.changesAgent(type);
    }

    private static Event read(String json) {
        try {
            Event event = Json.read(json, Event.class);
            return event.type() == null ? null : event;
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping a record on miminions.events that is not an event: %s", e.getMessage());
            return null;
        }
    }

    /**
     * Moves the task to the status the event implies. A final status is never left. Within one attempt
     * a status only moves forward (events of one task can arrive out of order, since the scheduler and
     * the agent host publish them); an event of a later attempt starts that attempt, and an event of an
     * earlier one changes nothing. TASK_RETRIED puts the task back to QUEUED. Answers whether the
     * task changed.
     */
    static boolean applyToTask(IntakeTask task, TaskStatus status, Event event) {
        if (task.status.isFinal()) {
            return false;
        }
        Integer attempt = event.data().get("attempt") instanceof Number n ? n.intValue() : null;
        int current = task.attempt == null ? 0 : task.attempt;
        if (status.isFinal()) {
            if (attempt != null && attempt > current) {
                task.attempt = attempt;
            }
        } else if (event.type() == EventType.TASK_RETRIED) {
            if (attempt != null && attempt < current) {
                return false;
            }
        } else if (attempt != null && attempt > current) {
            task.attempt = attempt;
        } else if (attempt != null && attempt < current || status.compareTo(task.status) <= 0) {
            return false;
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
            String error = describeError(data);
            task.error = error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
        }
        return true;
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

    /** The status a task event moves its task to; null for an event that does not move a task. */
    static TaskStatus taskStatusAfter(EventType type) {
        return switch (type) {
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
