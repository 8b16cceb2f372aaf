package io.miminions.audit.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.miminions.audit.ConsumedEvent;
import io.miminions.audit.EventFilter;
import io.miminions.audit.EventQuery;
import io.miminions.audit.RetentionPolicy;
import io.miminions.audit.StoredEvent;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Severity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The append-only event store: {@code audit.events}, partitioned by day, one row per event id
 * ({@code audit.event_ids}), {@code seq} numbering the rows in order of arrival.
 */
@ApplicationScoped
public class EventRepository {

    /** PostgreSQL's answer to a row for which no partition exists (check_violation). */
    private static final String NO_PARTITION = "23514";

    /**
     * The id is claimed first: a second delivery finds it taken and inserts nothing. Both inserts
     * are in the caller's transaction, so a failed batch claims nothing.
     */
    private static final String INSERT = """
            WITH claimed AS (
                INSERT INTO audit.event_ids (event_id, time) VALUES ($1, $4)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id)
            INSERT INTO audit.events (event_id, type, severity, time, source, agent_id, task_id, correlation_id, data, trace_id)
            SELECT claimed.event_id, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10 FROM claimed
            RETURNING event_id, seq""";

    private static final String COLUMNS =
            "event_id, seq, type, severity, time, source, agent_id, task_id, correlation_id, data::text AS data";

    private static final TypeReference<Map<String, Object>> DATA_TYPE = new TypeReference<>() {
    };

    private final Pool pool;
    private final EventPartitions partitions;
    private final FleetStateRepository fleetState;

    EventRepository(Pool pool, EventPartitions partitions, FleetStateRepository fleetState) {
        this.pool = pool;
        this.partitions = partitions;
        this.fleetState = fleetState;
    }

    /**
     * Appends the events in one transaction, skipping those whose id is stored already, and brings
     * the agent and task states up to date with the ones stored now. Creates the partitions of days
     * that have none first.
     *
     * @return the events stored now, once the transaction has committed
     */
    public Uni<List<StoredEvent>> append(List<ConsumedEvent> consumed) {
        if (consumed.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Event> events = consumed.stream().map(ConsumedEvent::event).toList();
        Set<LocalDate> days = events.stream().map(e -> RetentionPolicy.dayOf(e.time())).collect(Collectors.toSet());
        List<Tuple> rows = consumed.stream().map(EventRepository::toTuple).toList();
        return partitions.ensure(days)
                .chain(() -> pool.withTransaction(connection -> connection.preparedQuery(INSERT).executeBatch(rows)
                        .map(result -> stored(events, result))
                        .call(stored -> fleetState.apply(connection, stored))))
                .onFailure(e -> e instanceof PgException pg && NO_PARTITION.equals(pg.getSqlState()))
                .invoke(partitions::forget);
    }

    private static List<StoredEvent> stored(List<Event> events, RowSet<Row> result) {
        Map<String, Long> seqs = new HashMap<>();
        for (RowSet<Row> rowSet = result; rowSet != null; rowSet = rowSet.next()) {
            rowSet.forEach(row -> seqs.put(row.getString("event_id"), row.getLong("seq")));
        }
        // a batch may hold the same event twice: it was stored once
        List<StoredEvent> stored = new ArrayList<>(seqs.size());
        for (Event event : events) {
            Long seq = seqs.remove(event.eventId());
            if (seq != null) {
                stored.add(new StoredEvent(event, seq));
            }
        }
        return stored;
    }

    /**
     * The last {@code seq} handed out so far (0 before the first event): every stored event has
     * a {@code seq} at most this.
     */
    public Uni<Long> watermark() {
        return pool.query("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM audit.event_seq").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Up to {@code limit} events that match the filter, in the order asked, after {@code (afterTime,
     * afterSeq)} in that order (from the start when {@code afterTime} is null), with a {@code seq} at
     * most {@code watermark}.
     */
    public Uni<List<StoredEvent>> page(EventFilter filter, EventQuery.Order order, Instant afterTime, long afterSeq,
            long watermark, int limit) {
        List<Object> parameters = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        if (!filter.types().isEmpty()) {
            parameters.add(filter.types().stream().map(Enum::name).toArray(String[]::new));
            conditions.add("type = ANY($" + parameters.size() + ")");
        }
        if (!filter.severities().isEmpty()) {
            parameters.add(filter.severities().stream().map(Enum::name).toArray(String[]::new));
            conditions.add("severity = ANY($" + parameters.size() + ")");
        }
        if (filter.minSeverity() != null) {
            parameters.add(Arrays.stream(Severity.values())
                    .filter(s -> s.isAtLeast(filter.minSeverity()))
                    .map(Enum::name)
                    .toArray(String[]::new));
            conditions.add("severity = ANY($" + parameters.size() + ")");
        }
        if (filter.wantsOnlyAtLeast(Severity.WARNING)) {
            conditions.add(EventStoreSchema.ABOVE_INFO);
        }
        equalTo(conditions, parameters, "agent_id", filter.agentId());
        equalTo(conditions, parameters, "task_id", filter.taskId());
        equalTo(conditions, parameters, "correlation_id", filter.correlationId());
        if (filter.since() != null) {
            parameters.add(utc(filter.since()));
            conditions.add("time >= $" + parameters.size());
        }
        if (filter.until() != null) {
            parameters.add(utc(filter.until()));
            conditions.add("time < $" + parameters.size());
        }
        boolean ascending = order == EventQuery.Order.ASC;
        if (afterTime != null) {
            parameters.add(utc(afterTime));
            int time = parameters.size();
            parameters.add(afterSeq);
            int seq = parameters.size();
            // the plain time condition lets PostgreSQL skip the partitions already read
            conditions.add(ascending
                    ? "time >= $" + time + " AND (time, seq) > ($" + time + ", $" + seq + ")"
                    : "time <= $" + time + " AND (time, seq) < ($" + time + ", $" + seq + ")");
        }
        parameters.add(watermark);
        conditions.add("seq <= $" + parameters.size());
        parameters.add(limit);
        String direction = ascending ? "ASC" : "DESC";
        String sql = "SELECT " + COLUMNS + " FROM audit.events WHERE " + String.join(" AND ", conditions)
                + " ORDER BY time " + direction + ", seq " + direction + " LIMIT $" + parameters.size();
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).map(EventRepository::toStoredEvents);
    }

    /** Forgets the ids of events older than {@code keptSince}, whose partitions are dropped; answers how many. */
    public Uni<Integer> forgetIdsBefore(Instant keptSince) {
        return pool.preparedQuery("DELETE FROM audit.event_ids WHERE time < $1")
                .execute(Tuple.of(utc(keptSince)))
                .map(RowSet::rowCount);
    }

    /** Up to {@code limit} rows of the first layout's table after {@code afterSeq}, in order of arrival. */
    public Uni<List<StoredEvent>> unpartitionedPage(long afterSeq, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM " + EventStoreSchema.UNPARTITIONED
                        + " WHERE seq > $1 ORDER BY seq LIMIT $2")
                .execute(Tuple.of(afterSeq, limit))
                .map(EventRepository::toStoredEvents);
    }

    private static void equalTo(List<String> conditions, List<Object> parameters, String column, String value) {
        if (value != null) {
            parameters.add(value);
            conditions.add(column + " = $" + parameters.size());
        }
    }

    private static List<StoredEvent> toStoredEvents(RowSet<Row> rows) {
        List<StoredEvent> events = new ArrayList<>(rows.size());
        rows.forEach(row -> events.add(new StoredEvent(toEvent(row), row.getLong("seq"))));
        return events;
    }

    private static Tuple toTuple(ConsumedEvent consumed) {
        Event event = consumed.event();
        return Tuple.from(Arrays.asList(
                event.eventId(),
                event.type().name(),
                event.severity().name(),
                utc(event.time()),
                event.source(),
                event.agentId(),
                event.taskId(),
                event.correlationId(),
                Json.write(event.data()),
                consumed.traceId()));
    }

    private static Event toEvent(Row row) {
        return new Event(
                row.getString("event_id"),
                EventType.valueOf(row.getString("type")),
                Severity.valueOf(row.getString("severity")),
                row.getOffsetDateTime("time").toInstant(),
                row.getString("source"),
                row.getString("agent_id"),
                row.getString("task_id"),
                row.getString("correlation_id"),
                readData(row.getString("data")));
    }

    private static Map<String, Object> readData(String json) {
        try {
            return Json.MAPPER.readValue(json, DATA_TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit.events holds data that is not a JSON object: " + json, e);
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
