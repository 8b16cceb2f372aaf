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
