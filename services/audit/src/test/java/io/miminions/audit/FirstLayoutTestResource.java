package io.miminions.audit;

import io.miminions.localfleet.FleetInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Leaves a table of the first layout of the store ({@code audit.events}, not partitioned) with
 * {@link #EVENT_IDS} in it before the service starts, as a database of an earlier version would
 * be: the service must copy them into the partitioned layout.
 */
public class FirstLayoutTestResource implements QuarkusTestResourceLifecycleManager {

    /** The events of the first layout, in their order of arrival. */
    public static final List<String> EVENT_IDS = List.of("first-layout-1", "first-layout-2", "first-layout-3");
    public static final String TASK_ID = "task-of-the-first-layout";

    private static final String FIRST_LAYOUT = """
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

    @Override
    public Map<String, String> start() {
        FleetInfrastructure infrastructure = FleetInfrastructure.shared();
        Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // arrival order differs from time order: the copy keeps the order of arrival for equal keys
        String rows = """
                INSERT INTO audit.events (event_id, type, severity, time, source, task_id, data) VALUES
                ('%1$s', 'TASK_SUBMITTED', 'INFO', '%4$s', 'task-intake', '%5$s', '{"priority": 7}'),
                ('%2$s', 'TASK_QUEUED', 'INFO', '%4$s', 'scheduler', '%5$s', '{"priority": 7}'),
                ('%3$s', 'TASK_ASSIGNED', 'INFO', '%4$s', 'scheduler', '%5$s', '{"attempt": 1}')
                ON CONFLICT DO NOTHING
                """.formatted(EVENT_IDS.get(0), EVENT_IDS.get(1), EVENT_IDS.get(2), time, TASK_ID);
        Vertx vertx = Vertx.vertx();
        try {
            PgConnectOptions options = PgConnectOptions.fromUri(infrastructure.postgresReactiveUrl())
                    .setUser(infrastructure.postgresUser())
                    .setPassword(infrastructure.postgresPassword());
            PgConnection.connect(vertx, options)
                    .compose(connection -> connection.query(FIRST_LAYOUT + rows).execute()
                            .eventually(v -> connection.close()))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the first layout of audit.events", e);
        } finally {
            vertx.close();
        }
        return Map.of();
    }

    @Override
    public void stop() {
        // the table is gone once the service copied it
    }
}
