package io.miminions.audit.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The counters of the audit service, registered at start-up so that every one shows, at zero too. */
@Startup
@ApplicationScoped
public class AuditMetrics {

    /** Events stored in {@code audit.events}, tagged by {@code type}; a redelivered event counts once. */
    public static final String STORED = "miminions.audit.events.stored";
    /** Records on {@code miminions.events} that were not valid events and were skipped. */
    public static final String INVALID = "miminions.audit.records.invalid";
    /** Events not stored because they are older than the retention. */
    public static final String EXPIRED = "miminions.audit.events.expired";
    /** Events read from the store for exports, counted as each page is read (before it is written). */
    public static final String EXPORTED = "miminions.audit.events.exported";
    /** Daily partitions dropped by the retention. */
    public static final String PARTITIONS_DROPPED = "miminions.audit.partitions.dropped";

    private final Map<EventType, Counter> stored = new EnumMap<>(EventType.class);
    private final Counter invalid;
    private final Counter expired;
    private final Counter exported;
    private final Counter partitionsDropped;

    AuditMetrics(MeterRegistry registry) {
        for (EventType type : EventType.values()) {
            stored.put(type, Counter.builder(STORED)
                    .description("Events stored in audit.events")
                    .tag("type", type.name())
                    .register(registry));
        }
        invalid = Counter.builder(INVALID)
                .description("Records on miminions.events that were not valid events and were skipped")
                .register(registry);
        expired = Counter.builder(EXPIRED)
                .description("Events not stored because they are older than the retention")
                .register(registry);
        exported = Counter.builder(EXPORTED)
                .description("Events read from the store for exports")
                .register(registry);
        partitionsDropped = Counter.builder(PARTITIONS_DROPPED)
                .description("Daily partitions of audit.events dropped by the retention")
                .register(registry);
    }

    /** Counts events that were stored now (not before). */
    public void stored(List<Event> events) {
        events.forEach(e -> stored.get(e.type()).increment());
    }

    /** Counts one skipped record. */
    public void invalidRecord() {
        invalid.increment();
    }

    /** Counts events left out as older than the retention. */
    public void expired(int count) {
        expired.increment(count);
    }

    /** Counts events read for an export. */
    public void exported(int count) {
        exported.increment(count);
    }

    /** Counts one dropped partition. */
    public void partitionDropped() {
        partitionsDropped.increment();
    }
}
