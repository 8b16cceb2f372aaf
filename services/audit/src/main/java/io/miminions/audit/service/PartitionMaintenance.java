package io.miminions.audit.service;

import io.miminions.audit.RetentionPolicy;
import io.miminions.audit.config.AuditConfig;
import io.miminions.audit.metrics.AuditMetrics;
import io.miminions.audit.repository.EventPartitions;
import io.miminions.audit.repository.EventRepository;
import io.miminions.audit.repository.FleetStateRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The scheduled job of the event store, every {@code miminions.audit.maintenance-interval}: creates the
 * partitions of today and the next days, drops whole partitions older than the retention (never
 * deleting events row by row), then forgets the ids and the ended tasks and stopped agents of the
 * dropped days. With several audit replicas each runs it; the steps are idempotent.
 */
@ApplicationScoped
public class PartitionMaintenance {

    private static final Logger LOG = Logger.getLogger(PartitionMaintenance.class);

    private final EventPartitions partitions;
    private final EventRepository events;
    private final FleetStateRepository fleetState;
    private final AuditMetrics metrics;
    private final AuditConfig config;
    private final RetentionPolicy retention;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();

    PartitionMaintenance(EventPartitions partitions, EventRepository events, FleetStateRepository fleetState,
            AuditMetrics metrics, AuditConfig config, Vertx vertx) {
        if (config.partitionDaysAhead() < 0 || config.maintenanceInterval().toMillis() < 1) {
            throw new IllegalArgumentException("miminions.audit.partition-days-ahead must be 0 or more and "
                    + "miminions.audit.maintenance-interval at least 1ms; they are " + config.partitionDaysAhead() + " and "
                    + config.maintenanceInterval());
        }
        this.partitions = partitions;
        this.events = events;
        this.fleetState = fleetState;
        this.metrics = metrics;
        this.config = config;
        this.retention = new RetentionPolicy(config.retention());
        this.vertx = vertx;
    }

    /** Runs the job every interval from now on. */
    void schedule() {
        long interval = config.maintenanceInterval().toMillis();
        vertx.setPeriodic(interval, interval, id -> run(Instant.now()).subscribe().with(
                dropped -> { },
                failure -> LOG.warnf("partition maintenance failed, trying again in %s: %s", config.maintenanceInterval(),
                        failure.getMessage())));
    }

    /**
     * One run as of {@code now}; a run while another is under way does nothing.
     *
     * @return the days whose partitions were dropped
     */
    public Uni<List<LocalDate>> run(Instant now) {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().item(List.of());
        }
        LocalDate today = RetentionPolicy.dayOf(now);
        LocalDate oldestKept = retention.oldestKeptDay(now);
        List<LocalDate> ahead = today.datesUntil(today.plusDays(config.partitionDaysAhead() + 1L)).toList();
        return partitions.ensure(ahead)
                .chain(partitions::list)
                .map(days -> days.stream().filter(day -> day.isBefore(oldestKept)).toList())
                .call(expired -> Multi.createFrom().iterable(expired)
                        .onItem().transformToUniAndConcatenate(day -> partitions.drop(day).invoke(() -> {
                            metrics.partitionDropped();
                            LOG.infof("dropped the events of %s (retention %s)", day, config.retention());
                        }))
                        .collect().last())
                // only once every expired day is gone, so that the states never count less than the events
                .call(() -> events.forgetIdsBefore(retention.keptSince(now)))
                .call(() -> fleetState.prune(retention.keptSince(now)))
                .eventually(() -> running.set(false));
    }
}
