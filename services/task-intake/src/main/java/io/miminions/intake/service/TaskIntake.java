package io.miminions.intake.service;

import io.miminions.intake.IntakeTask;
import io.miminions.intake.config.IntakeConfig;
import io.miminions.intake.outbox.Outbox;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Priorities;
import io.miminions.model.TaskStatus;
import io.miminions.model.TaskSubmission;
import io.miminions.model.Topics;
import io.miminions.model.api.TaskView;
import io.miminions.outbox.OutboxRecord;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Accepts tasks: stores each and, in the same transaction, writes to the outbox the
 * TASK_SUBMITTED event and the accepted task for the scheduler.
 */
@ApplicationScoped
public class TaskIntake {

    static final String SOURCE = "task-intake";

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;
    private final Waiters waiters;
    private final IntakeConfig config;

    TaskIntake(Mutiny.SessionFactory sessions, Outbox outbox, Waiters waiters, IntakeConfig config) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.waiters = waiters;
        this.config = config;
    }

    /**
     * Accepts a valid submission. A submission whose task id is already known answers the stored
     * task and changes nothing, so clients may retry.
     */
    public Uni<TaskView> submit(TaskSubmission submission) {
        String taskId = submission.taskId() != null ? submission.taskId() : UUID.randomUUID().toString();
        return sessions.withTransaction(session -> session.find(IntakeTask.class, taskId).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(existing.toView());
            }
            IntakeTask task = newTask(taskId, submission);
            Event submitted = Event.of(EventType.TASK_SUBMITTED, SOURCE, task.agentId, taskId, submittedData(task));
            List<OutboxRecord> records = List.of(
                    OutboxRecord.event(submitted),
                    OutboxRecord.of(Topics.TASKS, Priorities.partitionOf(task.priority), taskId, task.toAccepted()));
            return session.persist(task)
                    .chain(() -> outbox.append(session, records))
                    .replaceWith(task::toView);
        })).invoke(task -> waiters.signal(task.taskId()));
    }

    /**
     * Records that a submission read from Kafka was refused. The event id is derived from where the
     * record was read, so a record read twice leaves one TASK_REJECTED event.
     */
    public Uni<Void> reject(String origin, String taskId, List<String> violations) {
        Event rejected = new Event(UUID.nameUUIDFromBytes(origin.getBytes(StandardCharsets.UTF_8)).toString(), EventType.TASK_REJECTED,
                EventType.TASK_REJECTED.defaultSeverity(), Instant.now(), SOURCE, null, taskId, null,
                Map.of("origin", origin, "reason", String.join("; ", violations), "violations", violations));
        return sessions.withTransaction(session -> outbox.append(session, List.of(OutboxRecord.event(rejected))));
    }

    public Uni<TaskView> find(String taskId) {
        return findIfKnown(taskId).onItem().ifNull().failWith(() -> new UnknownResourceException("task", taskId));
    }

    /**
     * Answers the task once it reached a final status, or as it is when {@code timeout} passes. A
     * task not known yet (published to Kafka, not consumed yet) is waited for too; if it is still
     * unknown at the end, the answer is {@link UnknownResourceException}.
     */
    public Uni<TaskView> awaitFinal(String taskId, Duration timeout) {
        Duration bounded = timeout.compareTo(Duration.ofSeconds(config.intake().maxWaitSeconds())) > 0
                ? Duration.ofSeconds(config.intake().maxWaitSeconds()) : timeout;
        return waiters.await(taskId, this::findIfKnown, view -> view != null && view.status().isFinal(), Instant.now().plus(bounded))
                .onItem().ifNull().failWith(() -> new UnknownResourceException("task", taskId));
    }

    private Uni<TaskView> findIfKnown(String taskId) {
        return sessions.withSession(session -> session.find(IntakeTask.class, taskId))
                .map(task -> task == null ? null : task.toView());
    }

    private IntakeTask newTask(String taskId, TaskSubmission submission) {
        IntakeTask task = new IntakeTask();
        task.taskId = taskId;
        task.name = submission.name();
        task.input = submission.input();
        task.priority = submission.priority() != null ? submission.priority() : Priorities.DEFAULT;
        task.dependencies = submission.dependencies().toArray(String[]::new);
        task.timeoutSeconds = submission.timeoutSeconds() != null
                ? submission.timeoutSeconds() : config.intake().taskTimeoutSeconds();
        task.agentId = submission.agentId();
        task.status = TaskStatus.PENDING;
        task.submittedAt = Instant.now();
        task.updatedAt = task.submittedAt;
        return task;
    }

    private static Map<String, Object> submittedData(IntakeTask task) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", task.name);
        data.put("priority", task.priority);
        data.put("dependencies", List.of(task.dependencies));
        data.put("timeoutSeconds", task.timeoutSeconds);
        return data;
    }
}
