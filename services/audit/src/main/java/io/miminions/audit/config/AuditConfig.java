package io.miminions.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the audit service. */
@ConfigMapping(prefix = "miminions.audit")
public interface AuditConfig {

    /** How a batch insert that failed is retried before the consumer gives up and reports itself down. */
    StoreRetry storeRetry();

    /**
     * How long events are kept at least: whole daily partitions older than this are dropped (so at
     * most one day more is kept); an event older than this is not stored. At least one day.
     */
    @WithDefault("30d")
    Duration retention();

    /** Daily partitions of {@code audit.events} created ahead of today (0 or more), so that inserts rarely create one. */
    @WithDefault("3")
    int partitionDaysAhead();

    /** How often partitions are created ahead and expired ones dropped (also once at start-up). */
    @WithDefault("1h")
    Duration maintenanceInterval();

    /** Events read from the database per page of an export (at least 1); the memory an export needs grows with it. */
    @WithDefault("1000")
    int exportPageSize();

    interface StoreRetry {

        /** Retries of a failed batch insert; when they are spent the channel fails and health reports it. */
        @WithDefault("8")
        int attempts();

        /** Wait before the first retry; it doubles with each retry up to {@link #maxBackoff()}. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Longest wait between two retries. */
        @WithDefault("10s")
        Duration maxBackoff();
    }
}
