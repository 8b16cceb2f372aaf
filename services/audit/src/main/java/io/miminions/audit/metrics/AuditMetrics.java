package io.miminions.audit.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The counters of the audit service, registered up front so that every type shows, at zero too. */
@ApplicationScoped
public class AuditMetrics {

    /** Events stored in {@code audit.events}, tagged by {@code type}; a redelivered event counts once. */
    public static final String STORED = "miminions.audit.events.stored";
    /** Records on {@code miminions.events} that were not valid events and were skipped. */
    public static final String INVALID = "miminions.audit.records.invalid";

    private final Map<EventType, Counter> stored = new EnumMap<>(EventType.class);
    private final Counter invalid;

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
    }

    /** Counts events that were stored now (not before). */
    public void stored(List<Event> events) {
        events.forEach(e -> stored.get(e.type()).increment());
    }

    /** Counts one skipped record. */
    public void invalidRecord() {
        invalid.increment();
    }
}
