package io.miminions.audit.repository;

import io.miminions.audit.FleetStateRules;
import io.miminions.audit.StoredEvent;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The latest state of each agent ({@code audit.agent_states}) and task ({@code audit.task_states}),
 * as {@link FleetStateRules} define it, and the fleet metrics read from them.
 */
@ApplicationScoped
public class FleetStateRepository {

    private static final String UPSERT_AGENT = """
            INSERT INTO audit.agent_states AS s (agent_id, state, time, seq) VALUES ($1, $2, $3, $4)
            ON CONFLICT (agent_id) DO UPDATE SET state = EXCLUDED.state, time = EXCLUDED.time, seq = EXCLUDED.seq
            WHERE (EXCLUDED.time, EXCLUDED.seq) > (s.time, s.seq)""";

    /** A later event wins, an outcome wins over anything but an outcome, and nothing wins over an outcome. */
    private static final String UPSERT_TASK = """
            INSERT INTO audit.task_states AS s (task_id, state, ended, priority, started_at, duration_ms, time, seq)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (task_id) DO UPDATE SET state = EXCLUDED.state, ended = EXCLUDED.ended,
                priority = COALESCE(EXCLUDED.priority, s.priority), duration_ms = EXCLUDED.duration_ms,
                time = EXCLUDED.time, seq = EXCLUDED.seq
            WHERE NOT s.ended AND (EXCLUDED.ended OR (EXCLUDED.time, EXCLUDED.seq) > (s.time, s.seq))""";

    /** The latest start of a task, whether or not its TASK_STARTED won the state. */
    private static final String TASK_STARTED = """
            UPDATE audit.task_states SET started_at = GREATEST(started_at, $2) WHERE task_id = $1""";

    /**
     * A completed task's duration is the {@code durationMs} its TASK_COMPLETED states, else the time
     * from its latest TASK_STARTED to its TASK_COMPLETED.
     */
    private static final String TASK_OUTCOMES = """
            SELECT count(*) FILTER (WHERE state = 'TASK_COMPLETED') AS completed,
                   count(*) FILTER (WHERE state = ANY($1)) AS failed,
                   avg(duration) FILTER (WHERE state = 'TASK_COMPLETED') AS avg_ms,
                   percentile_disc(0.95) WITHIN GROUP (ORDER BY duration)
                       FILTER (WHERE state = 'TASK_COMPLETED') AS p95_ms
            FROM (SELECT state, COALESCE(duration_ms,
                             round(1000 * EXTRACT(EPOCH FROM (time - started_at)))::bigint) AS duration
                  FROM audit.task_states WHERE ended) outcome""";

    private final Pool pool;

    FleetStateRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Applies events stored now to the states, on the connection of their transaction: a row per
     * agent event, and a row per task however many of its events the batch holds.
     */
    Uni<Void> apply(SqlConnection connection, List<StoredEvent> stored) {
        List<Tuple> agents = stored.stream().filter(s -> FleetStateRules.changesAgentState(s.event()))
                .map(s -> Tuple.of(s.event().agentId(), s.event().type().name(), EventRepository.utc(s.event().time()), s.seq()))
                .toList();
        Map<String, TaskChange> tasks = new LinkedHashMap<>();
        stored.stream().filter(s -> FleetStateRules.changesTaskState(s.event()))
                .forEach(s -> tasks.merge(s.event().taskId(), TaskChange.of(s), TaskChange::then));
        List<Tuple> starts = tasks.values().stream().filter(task -> task.startedAt() != null)
                .map(task -> Tuple.of(task.taskId(), task.startedAt()))
                .toList();
        Uni<Void> agentsDone = agents.isEmpty() ? Uni.createFrom().voidItem()
                : connection.preparedQuery(UPSERT_AGENT).executeBatch(agents).replaceWithVoid();
        return agentsDone
                .chain(() -> tasks.isEmpty() ? Uni.createFrom().voidItem()
                        : connection.preparedQuery(UPSERT_TASK)
                                .executeBatch(tasks.values().stream().map(TaskChange::toTuple).toList())
                                .replaceWithVoid())
                .chain(() -> starts.isEmpty() ? Uni.createFrom().voidItem()
                        : connection.preparedQuery(TASK_STARTED).executeBatch(starts).replaceWithVoid());
    }

    /** Agents whose latest lifecycle event is one of {@link FleetStateRules#RUNNING}. */
    public Uni<Long> runningAgents() {
        return pool.preparedQuery("SELECT count(*) FROM audit.agent_states WHERE state = ANY($1)")
                .execute(Tuple.of(names(FleetStateRules.RUNNING)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Counts and durations of the tasks that ended. */
    public Uni<TaskOutcomes> taskOutcomes() {
        return pool.preparedQuery(TASK_OUTCOMES).execute(Tuple.of(names(FleetStateRules.FAILED)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    Number avg = row.getNumeric("avg_ms");
                    Long p95 = row.getLong("p95_ms");
                    return new TaskOutcomes(row.getLong("completed"), row.getLong("failed"),
                            avg == null ? 0 : avg.doubleValue(), p95 == null ? 0 : p95);
                });
    }

    /** Tasks whose state is {@code TASK_QUEUED}, by priority (null: no event stated one). */
    public Uni<Map<Integer, Long>> queuedByPriority() {
        return pool.preparedQuery("SELECT priority, count(*) FROM audit.task_states WHERE state = $1 GROUP BY priority")
                .execute(Tuple.of(EventType.TASK_QUEUED.name()))
                .map(rows -> {
                    Map<Integer, Long> counts = new HashMap<>();
                    rows.forEach(row -> counts.put(row.getInteger(0), row.getLong(1)));
                    return counts;
                });
    }

    /**
     * Forgets tasks that ended before {@code keptSince} and agents not running whose latest event
     * is older, as their events are dropped; queued tasks and running agents stay.
     */
    public Uni<Void> prune(Instant keptSince) {
        return pool.preparedQuery("DELETE FROM audit.task_states WHERE ended AND time < $1")
                .execute(Tuple.of(EventRepository.utc(keptSince)))
                .chain(() -> pool.preparedQuery("DELETE FROM audit.agent_states WHERE NOT (state = ANY($1)) AND time < $2")
                        .execute(Tuple.of(names(FleetStateRules.RUNNING), EventRepository.utc(keptSince))))
                .replaceWithVoid();
    }

    private static String[] names(Set<EventType> types) {
        return types.stream().map(Enum::name).toArray(String[]::new);
    }

    /**
     * What the events of one task in a batch make of its state, folded in their order by the rule of
     * {@link #UPSERT_TASK}, so that the batch writes the task's row once.
     *
     * @param startedAt the latest start among the events, null when none is a TASK_STARTED
     */
    record TaskChange(String taskId, String state, boolean ended, Integer priority, OffsetDateTime startedAt,
            Long durationMs, OffsetDateTime time, long seq) {

        static TaskChange of(StoredEvent stored) {
            Event event = stored.event();
            OffsetDateTime time = EventRepository.utc(event.time());
            return new TaskChange(event.taskId(), event.type().name(), event.type().endsTask(), FleetStateRules.priorityOf(event),
                    event.type() == EventType.TASK_STARTED ? time : null, FleetStateRules.durationMsOf(event), time,
                    stored.seq());
        }

        /** This state followed by {@code next}, as {@link #UPSERT_TASK} would leave the row. */
        TaskChange then(TaskChange next) {
            OffsetDateTime latestStart = startedAt == null || (next.startedAt != null && next.startedAt.isAfter(startedAt))
                    ? next.startedAt : startedAt;
            boolean nextWins = !ended && (next.ended || next.time.isAfter(time) || (next.time.isEqual(time) && next.seq > seq));
            return nextWins
                    ? new TaskChange(taskId, next.state, next.ended, next.priority != null ? next.priority : priority,
                            latestStart, next.durationMs, next.time, next.seq)
                    : new TaskChange(taskId, state, ended, priority, latestStart, durationMs, time, seq);
        }

        Tuple toTuple() {
            return Tuple.from(Arrays.asList(taskId, state, ended, priority, startedAt, durationMs, time, seq));
        }
    }

    /**
     * @param avgDurationMs mean duration of the completed tasks that state one, 0 when none does
     * @param p95DurationMs the 95th percentile (nearest rank) of those, 0 when none does
     */
    public record TaskOutcomes(long completed, long failed, double avgDurationMs, long p95DurationMs) {
    }
}
