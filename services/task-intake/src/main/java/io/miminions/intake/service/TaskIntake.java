package io.miminions.intake.service;

import io.miminions.intake.IntakeTask;
import io.miminions.intake.config.IntakeConfig;
import io.miminions.intake.outbox.Outbox;
import io.miminions.intake.repository.IntakeTasks;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Priorities;
import io.miminions.model.TaskReason;
import io.miminions.model.TaskStatus;
import io.miminions.model.TaskSubmission;
import io.miminions.model.Topics;
import io.miminions.model.api.TaskView;
import io.miminions.outbox.OutboxRecord;
import io.miminions.observability.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
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
 * Accepts tasks: checks each against the dependency rules and the queue limit, stores it and, in the
 * same transaction, writes to the outbox the TASK_SUBMITTED event and the accepted task for the
 * scheduler. Passes cancel requests on to the scheduler the same way.
 *
 * <p>Each submission is a span, the start of the task's trace (or a child of the caller's trace):
 * both outbox records carry its {@code traceparent}, so the scheduler, the agent host and audit
 * continue that trace.
 */
@ApplicationScoped
public class TaskIntake {

    static final String SOURCE = "task-intake";

    private final Mutiny.SessionFactory sessions;
    private final IntakeTasks tasks;
    private final Outbox outbox;
    private final Waiters waiters;
    private final IntakeConfig config;
    private final Tracer tracer;

    TaskIntake(Mutiny.SessionFactory sessions, IntakeTasks tasks, Outbox outbox, Waiters waiters, IntakeConfig config,
            Tracer tracer) {
        this.sessions = sessions;
        this.tasks = tasks;
        this.outbox = outbox;
        this.waiters = waiters;
        this.config = config;
        this.tracer = tracer;
    }

    /**
     * Accepts a valid submission. A submission whose task id is already known answers the stored
     * task and changes nothing, so clients may retry. Refused whole, with nothing stored, when its
     * dependencies break {@link DependencyRules} ({@link InvalidDependenciesException}) or when the
     * fleet holds {@code max-task-queue-size} unfinished tasks ({@link QueueFullException}).
     *
     * <p>Submissions take one lock in turn (see {@link IntakeTasks#lockSubmissions}): the unfinished
     * count is exact, and the submission numbers that order tasks of one priority follow acceptance.
     *
     * @param trace the caller's trace context (a REST request's or a Kafka record's), the root context for none
     */
    public Uni<TaskView> submit(TaskSubmission submission, Context trace) {
        String taskId = submission.taskId() != null ? submission.taskId() : UUID.randomUUID().toString();
        List<String> violations = DependencyRules.violationsOf(taskId, submission.dependencies());
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new InvalidDependenciesException(violations));
        }
        Span span = tracer.spanBuilder("submit task").setParent(trace).setSpanKind(SpanKind.SERVER)
                .setAttribute("miminions.task.id", taskId)
                .startSpan();
        String traceparent = TraceHeaders.traceparent(trace.with(span));
        return sessions.withTransaction(session -> tasks.lockSubmissions(session)
                .chain(() -> session.find(IntakeTask.class, taskId))
                .chain(existing -> existing != null
                        ? Uni.createFrom().item(existing.toView())
                        : accept(session, taskId, submission, traceparent)))
                .invoke(task -> waiters.signal(task.taskId()))
                .onItemOrFailure().invoke((task, failure) -> {
                    if (failure != null) {
                        span.setStatus(StatusCode.ERROR, failure.getMessage());
                    }
                    span.end();
                });
    }

    private Uni<TaskView> accept(Mutiny.Session session, String taskId, TaskSubmission submission, String traceparent) {
        List<String> dependencies = submission.dependencies();
        return tasks.knownAmong(session, dependencies)
                .chain(known -> {
                    List<String> unknown = DependencyRules.unknownAmong(dependencies, known);
                    if (!unknown.isEmpty()) {
                        return Uni.createFrom().failure(new InvalidDependenciesException(unknown));
                    }
                    // Only a client-chosen id can already be the dependency of a waiting task (one stored before
                    // dependencies were checked): a generated id is new to every table.
                    return submission.taskId() == null ? Uni.createFrom().voidItem()
                            : tasks.cycleThrough(session, taskId, dependencies).chain(via -> via.isPresent()
                                    ? Uni.createFrom().failure(new InvalidDependenciesException(
                                            List.of(DependencyRules.cycle(taskId, via.get()))))
                                    : Uni.createFrom().voidItem());
                })
                .chain(() -> tasks.countUnfinished(session))
                .chain(unfinished -> unfinished >= config.maxTaskQueueSize()
                        ? Uni.createFrom().failure(new QueueFullException(config.maxTaskQueueSize()))
                        : tasks.nextSubmissionSeq(session))
                .chain(seq -> {
                    IntakeTask task = newTask(taskId, submission, seq);
                    Event submitted = Event.of(EventType.TASK_SUBMITTED, SOURCE, task.agentId, taskId, submittedData(task));
                    List<OutboxRecord> records = List.of(
                            OutboxRecord.event(submitted).inTrace(traceparent),
                            OutboxRecord.of(Topics.TASKS, Priorities.partitionOf(task.priority), taskId, task.toAccepted())
                                    .inTrace(traceparent));
                    return session.persist(task)
                            .chain(() -> outbox.append(session, records))
                            .replaceWith(task::toView);
                });
    }

    /**
     * Asks the scheduler, through the outbox, to cancel a task that has not ended: a
     * TASK_CANCEL_REQUESTED event. The task turns CANCELLED when the scheduler has cancelled it (a
     * running task is interrupted on its agent); a task that ends otherwise first keeps that outcome.
     *
     * @throws UnknownResourceException  for a task the intake does not know
     * @throws TaskAlreadyEndedException for a task that has ended
     */
    public Uni<TaskView> requestCancel(String taskId) {
        return sessions.withTransaction(session -> session.find(IntakeTask.class, taskId).chain(task -> {
            if (task == null) {
                return Uni.createFrom().failure(new UnknownResourceException("task", taskId));
            }
            if (task.status.isFinal()) {
                return Uni.createFrom().failure(new TaskAlreadyEndedException(taskId, "cancel", task.status));
            }
            Event requested = Event.of(EventType.TASK_CANCEL_REQUESTED, SOURCE, null, taskId,
                    Map.of("reason", TaskReason.CANCEL_REQUESTED.name()));
            return outbox.append(session, List.of(OutboxRecord.event(requested))).replaceWith(task::toView);
        }));
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
        Duration bounded = timeout.compareTo(Duration.ofSeconds(config.maxWaitSeconds())) > 0
                ? Duration.ofSeconds(config.maxWaitSeconds()) : timeout;
        return waiters.await(taskId, this::findIfKnown, view -> view != null && view.status().isFinal(), Instant.now().plus(bounded))
                .onItem().ifNull().failWith(() -> new UnknownResourceException("task", taskId));
    }

    private Uni<TaskView> findIfKnown(String taskId) {
        return sessions.withSession(session -> session.find(IntakeTask.class, taskId))
                .map(task -> task == null ? null : task.toView());
    }

    private IntakeTask newTask(String taskId, TaskSubmission submission, long submissionSeq) {
        IntakeTask task = new IntakeTask();
        task.taskId = taskId;
        task.name = submission.name();
        task.input = submission.input();
        task.priority = submission.priority() != null ? submission.priority() : Priorities.DEFAULT;
        task.dependencies = submission.dependencies().toArray(String[]::new);
        task.timeoutSeconds = submission.timeoutSeconds() != null
                ? submission.timeoutSeconds() : config.taskTimeoutSeconds();
        task.agentId = submission.agentId();
        task.maxAttempts = submission.maxAttempts() != null ? submission.maxAttempts() : 1;
        task.backoffSeconds = submission.backoffSeconds() != null ? submission.backoffSeconds() : 1;
        task.attempt = 0;
        task.submissionSeq = submissionSeq;
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
        data.put("maxAttempts", task.maxAttempts);
        data.put("submissionSeq", task.submissionSeq);
        return data;
    }
}
