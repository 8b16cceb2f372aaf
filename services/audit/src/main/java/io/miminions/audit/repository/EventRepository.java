package io.miminions.audit.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.miminions.audit.EventQuery;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Severity;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The append-only event store: table {@code audit.events}, one row per event id, {@code seq}
 * numbering the rows in order of arrival.
 */
@ApplicationScoped
public class EventRepository {

    /**
     * One implicit transaction (simple query protocol); the advisory lock keeps replicas that start
     * together from racing on the catalogue.
     */
    private static final String SCHEMA = """
            SELECT pg_advisory_xact_lock(hashtext('audit.schema'));
            CREATE SCHEMA IF NOT EXISTS audit;
            CREATE TABLE IF NOT EXISTS audit.events (
                event_id       text        PRIMARY KEY,
                seq            bigserial   NOT NULL,
                type           text        NOT NULL,
                severity       text        NOT NULL,
                time           timestamptz NOT NULL,
                source         text,
                agent_id       text,
                task_id        text,
                correlation_id text,
                data           jsonb       NOT NULL
            );
            CREATE INDEX IF NOT EXISTS events_time_idx ON audit.events (time, seq);
            CREATE INDEX IF NOT EXISTS events_type_time_idx ON audit.events (type, time, seq);
            CREATE INDEX IF NOT EXISTS events_task_idx ON audit.events (task_id, time, seq);
            CREATE INDEX IF NOT EXISTS events_agent_idx ON audit.events (agent_id, time, seq);
            """;

    private static final String INSERT = """
            INSERT INTO audit.events (event_id, type, severity, time, source, agent_id, task_id, correlation_id, data)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb)
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id""";

    private static final String SELECT = """
            SELECT event_id, type, severity, time, source, agent_id, task_id, correlation_id, data::text AS data
            FROM audit.events""";

    private static final TypeReference<Map<String, Object>> DATA_TYPE = new TypeReference<>() {
    };

    private final Pool pool;

    EventRepository(Pool pool) {
        this.pool = pool;
    }

    /** Creates the schema, table and indexes before the Kafka channels start (at {@code LIBRARY_BEFORE}). */
    void createSchema(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        pool.query(SCHEMA).execute().await().indefinitely();
    }

    /**
     * Appends the events in one transaction, skipping those whose id is stored already.
     *
     * @return the events stored now, once the transaction has committed
     */
    public Uni<List<Event>> append(List<Event> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Tuple> rows = events.stream().map(EventRepository::toTuple).toList();
        return pool.withTransaction(connection -> connection.preparedQuery(INSERT).executeBatch(rows))
                .map(result -> {
                    Set<String> inserted = new HashSet<>();
                    for (RowSet<Row> rowSet = result; rowSet != null; rowSet = rowSet.next()) {
                        rowSet.forEach(row -> inserted.add(row.getString(0)));
                    }
                    // a batch may hold the same event twice: count it once
                    return events.stream().filter(e -> inserted.remove(e.eventId())).toList();
                });
    }

    /** The events that match the query, ordered by (time, seq) in the query's order. */
    public Uni<List<Event>> find(EventQuery query) {
        List<Object> parameters = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        if (!query.types().isEmpty()) {
            parameters.add(query.types().stream().map(Enum::name).toArray(String[]::new));
            conditions.add("type = ANY($" + parameters.size() + ")");
        }
        if (query.minSeverity() != null) {
            parameters.add(Arrays.stream(Severity.values())
                    .filter(s -> s.isAtLeast(query.minSeverity()))
                    .map(Enum::name)
                    .toArray(String[]::new));
            conditions.add("severity = ANY($" + parameters.size() + ")");
        }
        if (query.agentId() != null) {
            parameters.add(query.agentId());
            conditions.add("agent_id = $" + parameters.size());
        }
        if (query.taskId() != null) {
            parameters.add(query.taskId());
            conditions.add("task_id = $" + parameters.size());
        }
        if (query.since() != null) {
            parameters.add(utc(query.since()));
            conditions.add("time >= $" + parameters.size());
        }
        if (query.until() != null) {
            parameters.add(utc(query.until()));
            conditions.add("time < $" + parameters.size());
        }
        parameters.add(query.limit());
        String direction = query.order() == EventQuery.Order.ASC ? "ASC" : "DESC";
        String sql = SELECT
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY time " + direction + ", seq " + direction
                + " LIMIT $" + parameters.size();
        return pool.preparedQuery(sql).execute(Tuple.from(parameters))
                .map(rows -> {
                    List<Event> events = new ArrayList<>(rows.size());
                    rows.forEach(row -> events.add(toEvent(row)));
                    return events;
                });
    }

    private static Tuple toTuple(Event event) {
        return Tuple.from(Arrays.asList(
                event.eventId(),
                event.type().name(),
                event.severity().name(),
                utc(event.time()),
                event.source(),
                event.agentId(),
                event.taskId(),
                event.correlationId(),
                Json.write(event.data())));
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

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
