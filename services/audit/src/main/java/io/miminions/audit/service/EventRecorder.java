package io.miminions.audit.service;

import io.miminions.audit.config.AuditConfig;
import io.miminions.audit.metrics.AuditMetrics;
import io.miminions.audit.repository.EventRepository;
import io.miminions.model.Event;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/** Records consumed events in the store, retrying a failed insert, and counts what it stored. */
@ApplicationScoped
public class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    private final EventRepository repository;
    private final AuditMetrics metrics;
    private final AuditConfig.StoreRetry retry;

    EventRecorder(EventRepository repository, AuditMetrics metrics, AuditConfig config) {
        this.repository = repository;
        this.metrics = metrics;
        this.retry = config.storeRetry();
    }

    /**
     * Stores the events that are not stored yet.
     *
     * @return completes when the rows are committed; fails when the retries are spent
     */
    public Uni<Void> record(List<Event> events) {
        return repository.append(events)
                .onFailure().invoke(e -> LOG.warnf("storing %d events failed: %s", events.size(), e.getMessage()))
                .onFailure().retry().withBackOff(retry.initialBackoff(), retry.maxBackoff()).atMost(retry.attempts())
                .invoke(metrics::stored)
                .replaceWithVoid();
    }
}
