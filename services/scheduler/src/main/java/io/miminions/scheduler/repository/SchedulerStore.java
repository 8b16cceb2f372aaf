package io.miminions.scheduler.repository;

import io.miminions.model.AcceptedTask;
import io.miminions.model.AgentStatus;
import io.miminions.model.Json;
import io.miminions.model.TaskStatus;
import io.miminions.outbox.OutboxRecord;
import io.miminions.outbox.OutboxTable;
import io.miminions.outbox.OutboxWriter;
import io.miminions.scheduler.ScheduledTask;
import io.miminions.scheduler.StateChanges;
import io.miminions.scheduler.StoredTask;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The scheduler's tables in schema {@value #SCHEMA}: every task it received with its current state,
 * every agent it heard of, the cancel requests for tasks not received yet, and the outbox. The
 * tables are the truth; the in-memory state is rebuilt from them at start-up and after a failed step.
 */
@ApplicationScoped
public class SchedulerStore {

    public static final String SCHEMA = "scheduler";

    private static final List<String> TABLES = List.of(
            "CREATE TABLE IF NOT EXISTS scheduler.tasks ("
                    + "task_id text PRIMARY KEY, "
                    + "name text NOT NULL, "
                    + "input jsonb NOT NULL, "
                    + "priority integer NOT NULL, "
                    + "dependencies text[] NOT NULL, "
                    + "timeout_seconds integer NOT NULL, "
                    + "agent_id text, "
                    + "status text NOT NULL, "
                    + "attempt integer NOT NULL, "
                    + "assigned_agent text, "
                    + "seq bigint NOT NULL UNIQUE, "
                    + "submitted_at timestamptz, "
                    + "updated_at timestamptz NOT NULL, "
                    + "output jsonb, "
                    + "error text)",
            "ALTER TABLE scheduler.tasks ADD COLUMN IF NOT EXISTS submission_seq bigint, "
                    + "ADD COLUMN IF NOT EXISTS max_attempts integer, "
                    + "ADD COLUMN IF NOT EXISTS backoff_seconds integer, "
                    + "ADD COLUMN IF NOT EXISTS failed_attempts integer NOT NULL DEFAULT 0, "
                    + "ADD COLUMN IF NOT EXISTS not_before timestamptz, "
                    + "ADD COLUMN IF NOT EXISTS failed_dependency text, "
                    + "ADD COLUMN IF NOT EXISTS traceparent text",
            "CREATE INDEX IF NOT EXISTS tasks_unfinished ON scheduler.tasks (seq) "
                    + "WHERE status IN ('PENDING', 'QUEUED', 'ASSIGNED', 'RUNNING')",
            "CREATE TABLE IF NOT EXISTS scheduler.agents ("
                    + "agent_id text PRIMARY KEY, "
                    + "status text NOT NULL, "
                    + "updated_at timestamptz NOT NULL)",
            "CREATE TABLE IF NOT EXISTS scheduler.cancel_requests ("
                    + "task_id text PRIMARY KEY, "
                    + "requested_at timestamptz NOT NULL)");

    private static final String SAVE_TASK = "INSERT INTO scheduler.tasks (task_id, name, input, priority, dependencies, "
            + "timeout_seconds, agent_id, status, attempt, assigned_agent, seq, submitted_at, updated_at, output, error, "
            + "submission_seq, max_attempts, backoff_seconds, failed_attempts, not_before, failed_dependency, traceparent) "
            + "VALUES ($1, $2, $3::text::jsonb, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::text::jsonb, $15, "
            + "$16, $17, $18, $19, $20, $21, $22) "
            + "ON CONFLICT (task_id) DO UPDATE SET status = EXCLUDED.status, attempt = EXCLUDED.attempt, "
            + "assigned_agent = EXCLUDED.assigned_agent, updated_at = EXCLUDED.updated_at, "
            + "output = EXCLUDED.output, error = EXCLUDED.error, failed_attempts = EXCLUDED.failed_attempts, "
            + "not_before = EXCLUDED.not_before, failed_dependency = EXCLUDED.failed_dependency";

    private static final String SAVE_AGENT = "INSERT INTO scheduler.agents (agent_id, status, updated_at) VALUES ($1, $2, $3) "
            + "ON CONFLICT (agent_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at";

    private static final String UNFINISHED_TASKS = "SELECT task_id, name, input::text AS input, priority, dependencies, "
            + "timeout_seconds, agent_id, status, attempt, assigned_agent, seq, submitted_at, submission_seq, max_attempts, "
            + "backoff_seconds, failed_attempts, not_before FROM scheduler.tasks "
            + "WHERE status IN ('PENDING', 'QUEUED', 'ASSIGNED', 'RUNNING') ORDER BY seq";

    private final Pool pool;

    public SchedulerStore(Pool pool) {
        this.pool = pool;
    }

    /** Creates the schema, its tables and its outbox where they do not exist. */
    public Uni<Void> createTables() {
        List<String> statements = Stream.concat(OutboxTable.createStatements(SCHEMA).stream(), TABLES.stream()).toList();
        return Multi.createFrom().iterable(statements)
                .onItem().transformToUniAndConcatenate(sql -> pool.query(sql).execute())
                .collect().last()
                .replaceWithVoid();
    }

    /** What is stored of those of these tasks the scheduler has received. */
    public Uni<Map<String, StoredTask>> statuses(Collection<String> taskIds) {
        if (taskIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT task_id, status, failed_dependency FROM scheduler.tasks WHERE task_id = ANY($1)")
                .execute(Tuple.tuple().addArrayOfString(taskIds.toArray(String[]::new)))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).collect(Collectors.toMap(
                        row -> row.getString("task_id"),
                        row -> new StoredTask(TaskStatus.valueOf(row.getString("status")), row.getString("failed_dependency")))));
    }

    /** The ids of the tasks a cancel request is kept for: requested before the scheduler received them. */
    public Uni<List<String>> cancelRequests() {
        return pool.query("SELECT task_id FROM scheduler.cancel_requests").execute()
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(row -> row.getString("task_id")).toList());
    }

    /** Every task that has not finished, in submission order. */
    public Uni<List<ScheduledTask>> unfinishedTasks() {
        return pool.query(UNFINISHED_TASKS).execute()
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(SchedulerStore::task).toList());
    }

    /** The trace each unfinished task belongs to (the {@code traceparent} it arrived with), for those that have one. */
    public Uni<Map<String, String>> traceparents() {
        return pool.query("SELECT task_id, traceparent FROM scheduler.tasks "
                        + "WHERE status IN ('PENDING', 'QUEUED', 'ASSIGNED', 'RUNNING') AND traceparent IS NOT NULL").execute()
                .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                        .collect(Collectors.toMap(row -> row.getString("task_id"), row -> row.getString("traceparent"))));
    }

    /** Every agent's last known status. */
    public Uni<Map<String, AgentStatus>> agents() {
        return pool.query("SELECT agent_id, status FROM scheduler.agents").execute()
                .map(rows -> {
                    Map<String, AgentStatus> agents = new HashMap<>();
                    rows.forEach(row -> agents.put(row.getString("agent_id"), AgentStatus.valueOf(row.getString("status"))));
                    return agents;
                });
    }

    /** The highest submission sequence given out so far, 0 when there is none. */
    public Uni<Long> lastSeq() {
        return pool.query("SELECT coalesce(max(seq), 0) AS last FROM scheduler.tasks").execute()
                .map(rows -> rows.iterator().next().getLong("last"));
    }

    /**
     * Writes the changed rows and appends the outbox records, in one transaction whose statements are
     * sent together, in one round trip.
     *
     * @param traceparents the traces of the changed tasks, stored with a task when it is first written
     */
    public Uni<Void> save(StateChanges changes, List<OutboxRecord> outbox, Map<String, String> traceparents) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Tuple> tasks = changes.tasks().stream().map(task -> taskRow(task, now, traceparents.get(task.taskId()))).toList();
        List<Tuple> agents = changes.agents().entrySet().stream()
                .map(agent -> Tuple.of(agent.getKey(), agent.getValue().name(), now))
                .toList();
        List<Tuple> remembered = changes.cancelsRemembered().stream().map(id -> Tuple.of(id, now)).toList();
        List<Tuple> forgotten = changes.cancelsForgotten().stream().map(Tuple::of).toList();
        return pool.withTransaction(connection -> Uni.combine().all().unis(
                        batch(connection, SAVE_TASK, tasks),
                        batch(connection, SAVE_AGENT, agents),
                        batch(connection, "INSERT INTO scheduler.cancel_requests (task_id, requested_at) VALUES ($1, $2) "
                                + "ON CONFLICT (task_id) DO NOTHING", remembered),
                        batch(connection, "DELETE FROM scheduler.cancel_requests WHERE task_id = $1", forgotten),
                        OutboxWriter.append(connection, SCHEMA, outbox))
                .discardItems());
    }

    private static Uni<Void> batch(SqlConnection connection, String sql, List<Tuple> rows) {
        return rows.isEmpty()
                ? Uni.createFrom().voidItem()
                : connection.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
    }

    private static Tuple taskRow(ScheduledTask task, OffsetDateTime now, String traceparent) {
        return Tuple.from(Arrays.asList(
                task.taskId(),
                task.name(),
                Json.write(task.input()),
                task.priority(),
                task.dependencies().toArray(String[]::new),
                task.timeoutSeconds(),
                task.requestedAgent(),
                task.status().name(),
                task.attempt(),
                task.assignedAgent(),
                task.seq(),
                task.submittedAt() == null ? null : task.submittedAt().atOffset(ZoneOffset.UTC),
                now,
                task.output() == null ? null : Json.write(task.output()),
                task.error(),
                task.submissionSeq(),
                task.accepted().maxAttempts(),
                task.accepted().backoffSeconds(),
                task.failedAttempts(),
                task.notBefore() == null ? null : task.notBefore().atOffset(ZoneOffset.UTC),
                task.failedDependency(),
                traceparent));
    }

    @SuppressWarnings("unchecked")
    private static ScheduledTask task(Row row) {
        OffsetDateTime submittedAt = row.getOffsetDateTime("submitted_at");
        AcceptedTask accepted = new AcceptedTask(
                row.getString("task_id"),
                row.getString("name"),
                Json.read(row.getString("input"), Map.class),
                row.getInteger("priority"),
                List.of(row.getArrayOfStrings("dependencies")),
                row.getInteger("timeout_seconds"),
                row.getString("agent_id"),
                submittedAt == null ? null : submittedAt.toInstant(),
                row.getLong("submission_seq"),
                row.getInteger("max_attempts"),
                row.getInteger("backoff_seconds"));
        OffsetDateTime notBefore = row.getOffsetDateTime("not_before");
        return new ScheduledTask(accepted, row.getLong("seq"), TaskStatus.valueOf(row.getString("status")),
                row.getInteger("attempt"), row.getString("assigned_agent"), row.getInteger("failed_attempts"),
                notBefore == null ? null : notBefore.toInstant());
    }
}
