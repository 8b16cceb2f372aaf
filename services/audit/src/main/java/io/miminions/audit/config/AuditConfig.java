package io.miminions.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the audit service. */
@ConfigMapping(prefix = "miminions.audit")
public interface AuditConfig {

    /** How a batch insert that failed is retried before the consumer gives up and reports itself down. */
    StoreRetry storeRetry();

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
