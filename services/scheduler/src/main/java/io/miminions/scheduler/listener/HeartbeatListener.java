package io.miminions.scheduler.listener;

import io.miminions.model.HostHeartbeat;
import io.miminions.model.Json;
import io.miminions.scheduler.service.TaskScheduler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the agent hosts' heartbeats ({@code miminions.heartbeats}, group {@code scheduler-heartbeats},
 * from the latest record, offsets never committed: only live heartbeats matter) and renews the
 * leases of the agents and attempts they name.
 */
@ApplicationScoped
public class HeartbeatListener {

    private static final Logger LOG = Logger.getLogger(HeartbeatListener.class);

    private final TaskScheduler scheduler;

    public HeartbeatListener(TaskScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Incoming("host-heartbeats")
    public Uni<Void> onHeartbeat(String json) {
        HostHeartbeat heartbeat;
        try {
            heartbeat = json == null ? null : Json.read(json, HostHeartbeat.class);
        } catch (IllegalArgumentException e) {
            LOG.errorf("skipping a record on the heartbeats that is not a HostHeartbeat: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (heartbeat == null || heartbeat.hostId() == null) {
            LOG.errorf("skipping a heartbeat without a host id: %s", json);
            return Uni.createFrom().voidItem();
        }
        return scheduler.heartbeat(heartbeat);
    }
}
