package io.miminions.intake.repository;

import io.miminions.intake.IntakeTask;
import io.miminions.model.Json;
import io.miminions.model.TaskStatus;
import io.miminions.outbox.OutboxTable;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The queries behind accepting tasks, each in the caller's transaction: the submission lock, the
 * queue length, the submission numbers and the dependency checks; and the writes of the progress the
 * fleet reports about them.
 *
 * <p>The queue length is the one row of {@code intake.queue}: the number of unfinished tasks, kept in
 * the transactions that change it (+n when submissions are accepted, −n when the event projection moves
 * tasks to a final status), so that reading it costs the same however many tasks wait. At start-up it
 * is set from a count of {@code intake.tasks}, so a database of an earlier version, or one changed by
 * hand, starts out right.
 */
@ApplicationScoped
public class IntakeTasks {

    /** The statuses of a task that has not ended: those count against the queue limit. */
    public static final Set<TaskStatus> UNFINISHED =
            EnumSet.of(TaskStatus.PENDING, TaskStatus.QUEUED, TaskStatus.ASSIGNED, TaskStatus.RUNNING);

    /** The key of the transaction-scoped advisory lock every submission takes (any number unique in the database). */
    static final long SUBMISSION_LOCK = 0x6d696d696e696f6eL;

    private static final String LOCK = "SELECT CAST(pg_advisory_xact_lock(" + SUBMISSION_LOCK + ") AS text)";

    private static final String COUNT_UNFINISHED = "SELECT count(*) FROM intake.tasks WHERE status IN ("
            + UNFINISHED.stream().map(status -> "'" + status.name() + "'").collect(Collectors.joining(", ")) + ")";

    /**
     * Walks from the seeds (a JSON array of [task id, via] pairs: the new task's dependencies, each as
     * its own via) through the dependencies of the tasks that still wait (PENDING), and answers the via
     * of a path that reaches the new task.
     */
    private static final String CYCLE = """
            WITH RECURSIVE reach(task_id, via) AS (
                SELECT s.seed ->> 0, s.seed ->> 1 FROM jsonb_array_elements(CAST(CAST($1 AS text) AS jsonb)) AS s(seed)
              UNION
                SELECT w.dependency, r.via
                FROM reach r
                JOIN intake.tasks t ON t.task_id = r.task_id AND t.status = 'PENDING'
                CROSS JOIN LATERAL unnest(t.dependencies) AS w(dependency)
            )
            SELECT via FROM reach WHERE task_id = $2 LIMIT 1""";

    private static final String INSERT = """
            INSERT INTO intake.tasks (task_id, name, input, priority, dependencies, timeout_seconds, agent_id, max_attempts,
                backoff_seconds, attempt, submission_seq, status, submitted_at, updated_at)
            VALUES ($1, $2, CAST(CAST($3 AS text) AS jsonb), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)""";

    private static final String SAVE_PROGRESS = """
            UPDATE intake.tasks SET status = $2, attempt = $3, updated_at = $4,
                ran_on_agent_id = COALESCE($5, ran_on_agent_id), started_at = COALESCE($6, started_at),
                output = COALESCE(CAST(CAST($7 AS text) AS jsonb), output), error = COALESCE($8, error)
            WHERE task_id = $1""";

    private final Pool pool;

    public IntakeTasks(Pool pool) {
        this.pool = pool;
    }

    void onStart(@Observes StartupEvent event) {
        prepare().await().atMost(Duration.ofSeconds(60));
    }

    /**
     * Creates what Hibernate does not (the submission sequence, the queue row and the outbox) and sets
     * the queue length from a count of the unfinished tasks. It takes the submission lock, and locks the
     * queue row against the event projection, so that no acceptance or final status is lost between the
     * count and the write.
     */
    public Uni<Void> prepare() {
        return pool.query("CREATE SCHEMA IF NOT EXISTS intake").execute()
                .chain(() -> pool.query("CREATE SEQUENCE IF NOT EXISTS intake.submission_seq").execute())
                .chain(() -> pool.query("CREATE TABLE IF NOT EXISTS intake.queue (id int PRIMARY KEY CHECK (id = 1), "
                        + "unfinished bigint NOT NULL)").execute())
                .chain(() -> Multi.createFrom().iterable(OutboxTable.createStatements("intake"))
                        .onItem().transformToUniAndConcatenate(statement -> pool.query(statement).execute())
                        .collect().last())
                .chain(() -> pool.withTransaction(this::recount))
                .replaceWithVoid();
    }

    private Uni<Void> recount(SqlConnection connection) {
        return connection.query(LOCK).execute()
                .chain(() -> connection.query("LOCK TABLE intake.queue IN EXCLUSIVE MODE").execute())
                .chain(() -> connection.query("INSERT INTO intake.queue (id, unfinished) SELECT 1, (" + COUNT_UNFINISHED + ") "
                        + "ON CONFLICT (id) DO UPDATE SET unfinished = excluded.unfinished").execute())
                .replaceWithVoid();
    }

    /**
     * What a round of submissions reads first, sent together (one round trip): it takes the submission
     * lock until the transaction ends, then reads the queue length, draws {@code numbers} submission
     * numbers and looks up which of {@code taskIds} are accepted already. Under the lock the queue
     * length includes every round committed before, and the numbers follow theirs; a number not used
     * (its submission refused) is left out, so the numbers order tasks without counting them.
     */
    public Uni<RoundStart> startRound(SqlConnection connection, int numbers, Collection<String> taskIds) {
        Uni<Void> lock = connection.query(LOCK).execute().replaceWithVoid();
        Uni<Long> length = connection.query("SELECT unfinished FROM intake.queue WHERE id = 1").execute()
                .map(rows -> rows.iterator().next().getLong(0));
        Uni<List<Long>> drawn = connection.preparedQuery(
                        "SELECT nextval('intake.submission_seq') FROM generate_series(1, $1) ORDER BY 1")
                .execute(Tuple.of(numbers))
                .map(rows -> {
                    List<Long> all = new ArrayList<>(numbers);
                    rows.forEach(row -> all.add(row.getLong(0)));
                    return all;
                });
        return Uni.combine().all().unis(lock, length, drawn, knownAmong(connection, taskIds))
                .with((locked, queueLength, submissionNumbers, known) -> new RoundStart(queueLength, submissionNumbers, known));
    }

    /**
     * What a round of submissions starts from.
     *
     * @param queueLength       the unfinished tasks
     * @param submissionNumbers numbers for the round's tasks, increasing
     * @param accepted          those of the ids asked about that are accepted already
     */
    public record RoundStart(long queueLength, List<Long> submissionNumbers, Set<String> accepted) {
    }

    /**
     * Stores the tasks accepted in a round and counts them as unfinished, sent together (one round
     * trip): one statement batch for the tasks.
     */
    public Uni<Void> insert(SqlConnection connection, List<IntakeTask> accepted) {
        if (accepted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = accepted.stream().map(task -> Tuple.from(Arrays.asList(
                        task.taskId,
                        task.name,
                        task.input == null ? null : Json.write(task.input),
                        task.priority,
                        task.dependencies,
                        task.timeoutSeconds,
                        task.agentId,
                        task.maxAttempts,
                        task.backoffSeconds,
                        task.attempt,
                        task.submissionSeq,
                        task.status.name(),
                        utc(task.submittedAt),
                        utc(task.updatedAt))))
                .toList();
        return Uni.combine().all().unis(
                        connection.preparedQuery("UPDATE intake.queue SET unfinished = unfinished + $1 WHERE id = 1")
                                .execute(Tuple.of(accepted.size())),
                        connection.preparedQuery(INSERT).executeBatch(rows))
                .discardItems();
    }

    /**
     * What the fleet last reported about these tasks: each as a task holding only its id, status and
     * attempt, which is all the projection's rules read. Unknown ids are left out.
     */
    public Uni<List<IntakeTask>> progressOf(SqlConnection connection, Collection<String> taskIds) {
        return connection.preparedQuery("SELECT task_id, status, attempt FROM intake.tasks WHERE task_id = ANY($1)")
                .execute(Tuple.of(taskIds.toArray(String[]::new)))
                .map(rows -> {
                    List<IntakeTask> found = new ArrayList<>();
                    for (Row row : rows) {
                        IntakeTask task = new IntakeTask();
                        task.taskId = row.getString("task_id");
                        task.status = TaskStatus.valueOf(row.getString("status"));
                        task.attempt = row.getInteger("attempt");
                        found.add(task);
                    }
                    return found;
                });
    }

    /**
     * Writes the progress of these tasks (loaded by {@link #progressOf}), one statement batch: status,
     * attempt and time always; the agent, start time, output and error only where the task has one,
     * so that what an earlier report set is kept.
     */
    public Uni<Void> saveProgress(SqlConnection connection, List<IntakeTask> tasks) {
        if (tasks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = tasks.stream().map(task -> Tuple.from(Arrays.asList(
                        task.taskId,
                        task.status.name(),
                        task.attempt,
                        utc(task.updatedAt),
                        task.ranOnAgentId,
                        utc(task.startedAt),
                        task.output == null ? null : Json.write(task.output),
                        task.error)))
                .toList();
        return connection.preparedQuery(SAVE_PROGRESS).executeBatch(rows).replaceWithVoid();
    }

    /** Counts {@code count} fewer unfinished tasks: that many reached a final status in this transaction. */
    public Uni<Void> release(SqlConnection connection, long count) {
        if (count == 0) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("UPDATE intake.queue SET unfinished = unfinished - $1 WHERE id = 1")
                .execute(Tuple.of(count))
                .replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * Those of these task ids the intake has accepted. The ids travel as one array parameter, so a batch
     * naming many dependencies stays within PostgreSQL's limit on the parameters of one statement.
     */
    private static Uni<Set<String>> knownAmong(SqlConnection connection, Collection<String> taskIds) {
        if (taskIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return connection.preparedQuery("SELECT task_id FROM intake.tasks WHERE task_id = ANY($1)")
                .execute(Tuple.of(taskIds.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> known = new HashSet<>();
                    rows.forEach(row -> known.add(row.getString(0)));
                    return known;
                });
    }

    /**
     * The dependency through which a new task would wait for itself, following the dependencies of the
     * tasks that still wait for theirs (PENDING): empty when there is no cycle. {@code seeds} maps each
     * task to start from to the new task's dependency it stands for (a dependency stands for itself).
     */
    public Uni<Optional<String>> cycleThrough(SqlConnection connection, String taskId, Map<String, String> seeds) {
        if (seeds.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        List<List<String>> pairs = seeds.entrySet().stream().map(seed -> List.of(seed.getKey(), seed.getValue())).toList();
        return connection.preparedQuery(CYCLE).execute(Tuple.of(Json.write(pairs), taskId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
    }
}
