package io.miminions.intake.service;

import io.miminions.intake.IntakeTask;
import io.miminions.intake.config.IntakeConfig;
import io.miminions.intake.outbox.Outbox;
import io.miminions.intake.repository.IntakeTasks;
import io.miminions.intake.service.SubmissionVerdict.Accepted;
import io.miminions.intake.service.SubmissionVerdict.Refused;
import io.miminions.intake.service.SubmissionVerdict.Resubmitted;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Priorities;
import io.miminions.model.TaskReason;
import io.miminions.model.TaskStatus;
import io.miminions.model.TaskSubmission;
import io.miminions.model.TaskSubmissionSchema.InvalidSubmissionException;
import io.miminions.model.Topics;
import io.miminions.model.api.TaskView;
import io.miminions.observability.TraceHeaders;
import io.miminions.outbox.OutboxRecord;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Accepts tasks: checks each against the dependency rules and the queue limit, stores it and, in the
 * same transaction, writes to the outbox the TASK_SUBMITTED event and the accepted task for the
 * scheduler. Passes cancel requests on to the scheduler the same way.
 *
 * <p>A REST request submits one task ({@link #submit}), in a round with the REST submissions that
 * arrived while the previous round ran ({@link SubmissionRounds}); the Kafka listener submits every
 * record of a polled batch at once ({@link #submitAll}). Both take the same path, one transaction in
 * plain SQL whose statements travel in two groups, each one round trip: first the submission lock, the
 * queue length, submission numbers and a lookup of the ids and dependencies accepted already
 * ({@link IntakeTasks#startRound}); then, after the rules are applied in order ({@link AdmissionRound}),
 * the new queue length, the inserts and the outbox row ({@link IntakeTasks#insert},
 * {@link Outbox#append(SqlConnection, List)}), sent to Kafka right after the commit
 * ({@link Outbox#inTransaction}). The cycle check, which only a client-chosen id needs, is one query
 * per such task with dependencies. Under the lock the queue length is exact and the submission
 * numbers that order tasks of one priority follow acceptance.
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
    private final PendingSubmissions pending;
    private final SubmissionRounds<Candidate, SubmissionVerdict> restRounds =
            new SubmissionRounds<>(candidates -> decideAndStore(candidates, false));
    private final IntakeConfig config;
    private final Tracer tracer;

    TaskIntake(Mutiny.SessionFactory sessions, IntakeTasks tasks, Outbox outbox, Waiters waiters, PendingSubmissions pending,
            IntakeConfig config, Tracer tracer) {
        this.sessions = sessions;
        this.tasks = tasks;
        this.outbox = outbox;
        this.waiters = waiters;
        this.pending = pending;
        this.config = config;
        this.tracer = tracer;
    }

    /**
     * Accepts a valid submission made through REST. A submission whose task id is already known
     * answers the stored task and changes nothing, so clients may retry. Refused whole, with nothing
     * stored, when its dependencies break {@link DependencyRules} ({@link InvalidDependenciesException})
     * or when the fleet holds {@code max-task-queue-size} unfinished tasks ({@link QueueFullException}),
     * and at once when {@code max-pending-submissions} are in flight ({@link IntakeOverloadedException}).
     *
     * @param trace the caller's trace context, the root context for none
     */
    public Uni<TaskView> submit(TaskSubmission submission, Context trace) {
        Candidate candidate = Candidate.of(submission, trace, null, null);
        return pending.run(() -> restRounds.submit(candidate)).chain(verdict -> switch (verdict) {
            case Accepted accepted -> Uni.createFrom().item(accepted.task());
            case Resubmitted resubmitted -> find(resubmitted.taskId());
            case Refused refused -> Uni.createFrom().failure(refused.reason());
        });
    }

    /**
     * Decides on the records of one batch read from Kafka, in their order, in one transaction: a
     * task accepted earlier in the batch counts as accepted for the dependencies of the records after
     * it. Every refused record (by the schema, the dependency rules or the queue limit) leaves a
     * TASK_REJECTED event, written in the same transaction; its id is derived from where the record
     * was read, so a record read twice leaves one event. A failure of the transaction (the database
     * unreachable) stores nothing and fails the whole call.
     *
     * @return one verdict per record, in their order
     */
    public Uni<List<SubmissionVerdict>> submitAll(List<SubmissionRecord> records) {
        List<Candidate> candidates = records.stream().map(Candidate::of).toList();
        return decideAndStore(candidates, true);
    }

    private Uni<List<SubmissionVerdict>> decideAndStore(List<Candidate> candidates, boolean recordRejections) {
        List<Span> spans = candidates.stream().map(this::startSpan).toList();
        return outbox.inTransaction(connection -> tasks.startRound(connection, candidates.size(), idsAndDependencies(candidates))
                        .chain(start -> {
                            AdmissionRound round = new AdmissionRound(start.accepted(), start.queueLength(), config.maxTaskQueueSize());
                            return Multi.createFrom().iterable(candidates)
                                    .onItem().transformToUniAndConcatenate(candidate -> decide(connection, round, candidate))
                                    .collect().asList()
                                    .chain(decisions -> store(connection, candidates, decisions, start.submissionNumbers(), spans,
                                            recordRejections));
                        }))
                .invoke(verdicts -> verdicts.forEach(verdict -> {
                    if (verdict instanceof Accepted accepted) {
                        waiters.signal(accepted.task().taskId());
                    }
                }))
                .onItemOrFailure().invoke((verdicts, failure) -> endSpans(spans, verdicts, failure));
    }

    /**
     * The rules, in order: the schema; the dependencies on their own (not the task itself, each
     * once); an id accepted already is a resubmission; the dependencies are accepted tasks; no cycle
     * (for a client-chosen id); a free place in the queue.
     *
     * @return empty when the candidate is to be accepted, else its verdict
     */
    private Uni<Optional<SubmissionVerdict>> decide(SqlConnection connection, AdmissionRound round, Candidate candidate) {
        if (candidate.invalid() != null) {
            return refused(candidate.invalid(), candidate.invalid().violations());
        }
        List<String> dependencies = candidate.submission().dependencies();
        List<String> violations = DependencyRules.violationsOf(candidate.taskId(), dependencies);
        if (!violations.isEmpty()) {
            return refused(new InvalidDependenciesException(violations), violations);
        }
        if (round.isAccepted(candidate.taskId())) {
            return Uni.createFrom().item(Optional.of(new Resubmitted(candidate.taskId())));
        }
        try {
            round.checkDependenciesKnown(dependencies);
        } catch (InvalidDependenciesException e) {
            return refused(e, e.violations());
        }
        // Only a client-chosen id can already be the dependency of a waiting task (one stored before
        // dependencies were checked): a generated id is new to every table.
        Uni<Optional<String>> cycle = candidate.chosenId()
                ? tasks.cycleThrough(connection, candidate.taskId(), round.cycleSeeds(dependencies))
                : Uni.createFrom().item(Optional.empty());
        return cycle.map(via -> {
            try {
                if (via.isPresent()) {
                    throw new InvalidDependenciesException(List.of(DependencyRules.cycle(candidate.taskId(), via.get())));
                }
                round.admit(candidate.taskId(), dependencies);
                return Optional.empty();
            } catch (RefusedSubmissionException e) {
                return Optional.of(new Refused(e, e.violations()));
            }
        });
    }

    private static Uni<Optional<SubmissionVerdict>> refused(RuntimeException reason, List<String> violations) {
        return Uni.createFrom().item(Optional.of(new Refused(reason, violations)));
    }

    /**
     * Numbers and stores the accepted tasks in the order of their candidates, and writes the outbox
     * row, sent together: for each accepted task its TASK_SUBMITTED event and its accepted-task
     * record, and, when asked, a TASK_REJECTED event for each refused candidate.
     */
    private Uni<List<SubmissionVerdict>> store(SqlConnection connection, List<Candidate> candidates,
            List<Optional<SubmissionVerdict>> decisions, List<Long> submissionNumbers, List<Span> spans, boolean recordRejections) {
        Iterator<Long> nextNumber = submissionNumbers.iterator();
        List<SubmissionVerdict> verdicts = new ArrayList<>(candidates.size());
        List<IntakeTask> newTasks = new ArrayList<>();
        List<OutboxRecord> records = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            SubmissionVerdict verdict = decisions.get(i).orElse(null);
            if (verdict == null) {
                IntakeTask task = newTask(candidate.taskId(), candidate.submission(), nextNumber.next());
                String traceparent = TraceHeaders.traceparent(candidate.trace().with(spans.get(i)));
                newTasks.add(task);
                records.add(OutboxRecord.event(Event.of(EventType.TASK_SUBMITTED, SOURCE, task.agentId, task.taskId,
                        submittedData(task))).inTrace(traceparent));
                records.add(OutboxRecord.of(Topics.TASKS, Priorities.partitionOf(task.priority), task.taskId, task.toAccepted())
                        .inTrace(traceparent));
                verdict = new Accepted(task.toView());
            } else if (verdict instanceof Refused refused && recordRejections) {
                records.add(OutboxRecord.event(rejected(candidate, refused.violations())));
            }
            verdicts.add(verdict);
        }
        if (records.isEmpty()) {
            return Uni.createFrom().item(verdicts);
        }
        return Uni.combine().all().unis(tasks.insert(connection, newTasks), outbox.append(connection, records))
                .with((inserted, appended) -> verdicts);
    }

    /** The TASK_REJECTED event of a refused record; its id is derived from where the record was read. */
    private static Event rejected(Candidate candidate, List<String> violations) {
        return new Event(UUID.nameUUIDFromBytes(candidate.origin().getBytes(StandardCharsets.UTF_8)).toString(),
                EventType.TASK_REJECTED, EventType.TASK_REJECTED.defaultSeverity(), Instant.now(), SOURCE, null, candidate.key(),
                null, Map.of("origin", candidate.origin(), "reason", String.join("; ", violations), "violations", violations));
    }

    /** Every stored task the round may ask about: the client-chosen ids of the candidates and their dependencies. */
    private static Set<String> idsAndDependencies(List<Candidate> candidates) {
        Set<String> ids = new LinkedHashSet<>();
        for (Candidate candidate : candidates) {
            if (candidate.chosenId()) {
                ids.add(candidate.taskId());
            }
            if (candidate.submission() != null) {
                ids.addAll(candidate.submission().dependencies());
            }
        }
        return ids;
    }

    private Span startSpan(Candidate candidate) {
        if (candidate.submission() == null) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder("submit task").setParent(candidate.trace()).setSpanKind(SpanKind.SERVER)
                .setAttribute("miminions.task.id", candidate.taskId())
                .startSpan();
    }

    private static void endSpans(List<Span> spans, List<SubmissionVerdict> verdicts, Throwable failure) {
        for (int i = 0; i < spans.size(); i++) {
            Span span = spans.get(i);
            if (failure != null) {
                span.setStatus(StatusCode.ERROR, failure.getMessage());
            } else if (verdicts.get(i) instanceof Refused refused) {
                span.setStatus(StatusCode.ERROR, refused.reason().getMessage());
            }
            span.end();
        }
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
        return find(taskId).chain(task -> {
            if (task.status().isFinal()) {
                return Uni.createFrom().failure(new TaskAlreadyEndedException(taskId, "cancel", task.status()));
            }
            Event requested = Event.of(EventType.TASK_CANCEL_REQUESTED, SOURCE, null, taskId,
                    Map.of("reason", TaskReason.CANCEL_REQUESTED.name()));
            return outbox.inTransaction(connection -> outbox.append(connection, List.of(OutboxRecord.event(requested))))
                    .replaceWith(task);
        });
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

    /**
     * One submission as the rules see it: the task id (the client's, else a new one), the
     * submission, the caller's trace, and for a Kafka record where it was read and its key. A record
     * that broke the schema has no task id nor submission, and {@code invalid} says how it broke it.
     */
    private record Candidate(String taskId, boolean chosenId, TaskSubmission submission, String origin, String key,
            Context trace, InvalidSubmissionException invalid) {

        static Candidate of(TaskSubmission submission, Context trace, String origin, String key) {
            boolean chosenId = submission.taskId() != null;
            return new Candidate(chosenId ? submission.taskId() : UUID.randomUUID().toString(), chosenId, submission, origin, key,
                    trace, null);
        }

        static Candidate of(SubmissionRecord record) {
            return record.submission() != null
                    ? of(record.submission(), record.trace(), record.origin(), record.key())
                    : new Candidate(null, false, null, record.origin(), record.key(), record.trace(), record.invalid());
        }
    }
}
