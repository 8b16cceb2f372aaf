package io.miminions.audit.service;

import io.miminions.audit.FleetStateRules;
import io.miminions.audit.repository.FleetStateRepository;
import io.miminions.model.Priorities;
import io.miminions.model.api.FleetMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The fleet metrics, from the agent and task states kept as events are stored. Uptime is that of the
 * audit service instance answering (since its JVM started): no service records
 * {@code SERVICE_STARTED} yet, and a fleet whose services restart one by one has no single start.
 */
@ApplicationScoped
public class FleetMetricsService {

    private final FleetStateRepository fleetState;
    private final Instant startedAt = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());

    FleetMetricsService(FleetStateRepository fleetState) {
        this.fleetState = fleetState;
    }

    public Uni<FleetMetrics> metrics() {
        return Uni.combine().all().unis(fleetState.runningAgents(), fleetState.taskOutcomes(), fleetState.queuedByPriority())
                .with((running, outcomes, queued) -> new FleetMetrics(
                        Duration.between(startedAt, Instant.now()).toMillis() / 1000.0,
                        running,
                        outcomes.completed(),
                        outcomes.failed(),
                        outcomes.avgDurationMs() / 1000.0,
                        outcomes.p95DurationMs() / 1000.0,
                        byBand(queued)));
    }

    private static Map<Integer, Long> byBand(Map<Integer, Long> queuedByPriority) {
        Map<Integer, Long> bands = new HashMap<>();
        for (int band = 0; band < Priorities.BANDS; band++) {
            bands.put(band, 0L);
        }
        queuedByPriority.forEach((priority, count) -> bands.merge(FleetStateRules.bandOf(priority), count, Long::sum));
        return bands;
    }
}
