package io.miminions.audit.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The tables of schema {@code audit}, created when missing.
 *
 * <ul>
 *   <li>{@code events}: partitioned by RANGE on {@code time}, one partition per UTC day
 *       ({@link EventPartitions}); append-only. The indexes by task, agent and correlation id hold
 *       only the rows that have one (most events lack one or two of them), and the index by severity
 *       only the rows above INFO (most events are INFO), which spares most of the index inserts. A
 *       query by one of these ids, or for severities above INFO, can still use them; one for DEBUG or
 *       INFO events reads the index by time or type. The indexes of an earlier layout, over every
 *       row, are dropped.</li>
 *   <li>{@code event_ids}: the id of every stored event, primary key {@code event_id}. A unique key of
 *       a partitioned table must hold the partition key, so {@code events} itself cannot refuse a
 *       second row with the same id; this table does, in the transaction of the insert.</li>
 *   <li>{@code agent_states}, {@code task_states}: the latest state of each agent and task, kept in
 *       the same transaction (see {@code FleetStateRules}), read by the fleet metrics.</li>
 * </ul>
 *
 * <p>The table {@code events} of the first layout (not partitioned, primary key {@code event_id}) is
 * renamed {@code events_unpartitioned}; its rows are copied into the new layout at start-up and the
 * table is dropped once they all are.
 */
@ApplicationScoped
public class EventStoreSchema {

    /**
     * The rows of index {@code events_above_info}: a query for severities above INFO states it word
     * for word, so that PostgreSQL can use the index.
     */
    public static final String ABOVE_INFO = "severity IN ('WARNING', 'ERROR', 'CRITICAL')";

    /** The table of the first layout, while its rows are being copied. */
    public static final String UNPARTITIONED = "audit.events_unpartitioned";

    /**
     * One implicit transaction (simple query protocol); the advisory lock keeps replicas that start
     * together from racing on the catalogue. Index names differ from those of the first layout, which
     * keep theirs on the renamed table.
     */
    private static final String DDL = """
            SELECT pg_advisory_xact_lock(hashtext('audit.schema'));
            CREATE SCHEMA IF NOT EXISTS audit;
            DO $$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = 'audit' AND c.relname = 'events' AND c.relkind = 'r') THEN
                    ALTER TABLE audit.events RENAME TO events_unpartitioned;
                END IF;
            END $$;
            CREATE SEQUENCE IF NOT EXISTS audit.event_seq;
            CREATE TABLE IF NOT EXISTS audit.events (
                event_id       text        NOT NULL,
                seq            bigint      NOT NULL DEFAULT nextval('audit.event_seq'),
                type           text        NOT NULL,
                severity       text        NOT NULL,
                time           timestamptz NOT NULL,
                source         text,
                agent_id       text,
                task_id        text,
                correlation_id text,
                data           jsonb       NOT NULL
            ) PARTITION BY RANGE (time);
            ALTER TABLE audit.events ADD COLUMN IF NOT EXISTS trace_id text;
            ALTER SEQUENCE audit.event_seq OWNED BY audit.events.seq;
            CREATE INDEX IF NOT EXISTS events_by_time ON audit.events (time, seq);
            CREATE INDEX IF NOT EXISTS events_by_type ON audit.events (type, time, seq);
            DROP INDEX IF EXISTS audit.events_by_severity;
            CREATE INDEX IF NOT EXISTS events_above_info ON audit.events (severity, time, seq) WHERE %s;
            DROP INDEX IF EXISTS audit.events_by_task, audit.events_by_agent, audit.events_by_correlation;
            CREATE INDEX IF NOT EXISTS events_of_task ON audit.events (task_id, time, seq) WHERE task_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS events_of_agent ON audit.events (agent_id, time, seq) WHERE agent_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS events_of_correlation ON audit.events (correlation_id, time, seq)
                WHERE correlation_id IS NOT NULL;

            CREATE TABLE IF NOT EXISTS audit.event_ids (
                event_id text        PRIMARY KEY,
                time     timestamptz NOT NULL
            );
            CREATE INDEX IF NOT EXISTS event_ids_by_time ON audit.event_ids (time);

            CREATE TABLE IF NOT EXISTS audit.agent_states (
                agent_id text        PRIMARY KEY,
                state    text        NOT NULL,
                time     timestamptz NOT NULL,
                seq      bigint      NOT NULL
            );
            CREATE TABLE IF NOT EXISTS audit.task_states (
                task_id     text        PRIMARY KEY,
                state       text        NOT NULL,
                ended       boolean     NOT NULL,
                priority    integer,
                started_at  timestamptz,
                duration_ms bigint,
                time        timestamptz NOT NULL,
                seq         bigint      NOT NULL
            );
            CREATE INDEX IF NOT EXISTS task_states_by_state ON audit.task_states (state, duration_ms);
            CREATE INDEX IF NOT EXISTS task_states_ended_by_time ON audit.task_states (time) WHERE ended;
            """.formatted(ABOVE_INFO);

    private final Pool pool;

    EventStoreSchema(Pool pool) {
        this.pool = pool;
    }

    /** Creates what is missing; renames a table of the first layout. */
    public Uni<Void> create() {
        return pool.query(DDL).execute().replaceWithVoid();
    }

    /** True while a table of the first layout holds rows not copied yet. */
    public Uni<Boolean> hasUnpartitionedTable() {
        return pool.query("SELECT to_regclass('" + UNPARTITIONED + "') IS NOT NULL").execute()
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** Drops the table of the first layout, once its rows are copied. */
    public Uni<Void> dropUnpartitionedTable() {
        return pool.query("DROP TABLE IF EXISTS " + UNPARTITIONED).execute().replaceWithVoid();
    }
}
