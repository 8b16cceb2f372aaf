package io.miminions.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** How the scheduler runs. */
@ConfigMapping(prefix = "miminions.scheduler")
public interface SchedulerConfig {

    /** How long one step may wait for the database before it counts as failed. */
    @WithDefault("30s")
    Duration databaseTimeout();

    /** The pause before a failed step is tried again; it doubles after each further failure. */
    @WithDefault("200ms")
    Duration retryBackoff();

    /** The longest pause between two tries of a failed step. */
    @WithDefault("10s")
    Duration maxRetryBackoff();

    /**
     * How long an agent, and the attempt it executes, stay alive without news from their host
     * (heartbeats, {@code TASK_STARTED}). When an attempt's lease runs out, the task is assigned
     * again (attempt + 1); keep it several heartbeat intervals of the agent hosts long.
     */
    @WithDefault("15s")
    Duration leaseDuration();

    /**
     * How long after its timeout a running attempt whose host has not reported counts as timed out
     * by the scheduler itself (the host normally reports it at the timeout).
     */
    @WithDefault("5s")
    Duration timeoutGrace();

    /**
     * How many tasks an agent may hold beyond the one it runs. They are given only right after one of
     * its tasks ended, so the next starts without waiting for the scheduler; a task of higher priority
     * that arrives later waits behind them. 0 gives an agent a task only when it holds none.
     */
    @WithDefault("0")
    int agentPrefetch();

    /** How often the scheduler checks leases, deadlines and retries whose backoff has passed. */
    @WithDefault("500ms")
    Duration tickInterval();

    /** The relay that takes the outbox to Kafka. */
    Outbox outbox();

    interface Outbox {

        /** The relay's name, unique per database: it names the replication slot and the publication. */
        @WithDefault("scheduler")
        String relayName();

        /** Where Debezium keeps its offset; when unset, in Kafka topic {@code miminions.outbox-offsets.<relay-name>}. */
        Optional<Path> offsetFile();
    }
}
