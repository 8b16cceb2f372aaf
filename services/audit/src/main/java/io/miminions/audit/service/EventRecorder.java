package io.miminions.audit.service;

import io.miminions.audit.ConsumedEvent;
import io.miminions.audit.RetentionPolicy;
import io.miminions.audit.StoredEvent;
import io.miminions.audit.config.AuditConfig;
import io.miminions.audit.metrics.AuditMetrics;
import io.miminions.audit.repository.EventRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Records consumed events in the store, retrying a failed insert, and counts what it stored. An
 * event older than the retention is not stored: its day's partition is dropped, or about to be.
 */
@ApplicationScoped
public class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    private final EventRepository repository;
    private final AuditMetrics metrics;
    private final AuditConfig.StoreRetry retry;
    private final RetentionPolicy retention;

    EventRecorder(EventRepository repository, AuditMetrics metrics, AuditConfig config) {
        this.repository = repository;
        this.metrics = metrics;
        this.retry = config.storeRetry();
        this.retention = new RetentionPolicy(config.retention());
    }

    /**
     * Stores the events that are not stored yet.
     *
     * @return the events stored now, once their rows are committed; fails when the retries are spent
     */
    public Uni<List<StoredEvent>> record(List<ConsumedEvent> events) {
        Instant now = Instant.now();
        List<ConsumedEvent> kept = events.stream().filter(e -> !retention.isExpired(e.event().time(), now)).toList();
        if (kept.size() < events.size()) {
            LOG.debugf("%d events are older than the retention and are not stored", events.size() - kept.size());
            metrics.expired(events.size() - kept.size());
        }
        return repository.append(kept)
                .onFailure().invoke(e -> LOG.warnf("storing %d events failed: %s", kept.size(), e.getMessage()))
                .onFailure().retry().withBackOff(retry.initialBackoff(), retry.maxBackoff()).atMost(retry.attempts())
                .invoke(stored -> metrics.stored(stored.stream().map(StoredEvent::event).toList()));
    }
}
