package io.miminions.systemtests;

import io.miminions.client.MiminionsClient;
import io.miminions.examples.ExampleAgents;
import io.miminions.localfleet.LocalFleet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * A fleet of processes for one test class, with the example agents and timings short enough for
 * tests (3 s leases, heartbeats every 500 ms, a killed agent host's agents moved after 6 s), its
 * client and its event log.
 */
final class QuickFleet implements AutoCloseable {

    private final LocalFleet fleet;
    private final MiminionsClient runtime;
    private final FleetEventLog events;

    private QuickFleet(LocalFleet fleet) {
        this.fleet = fleet;
        this.runtime = MiminionsClient.connect(fleet.intakeUri());
        this.events = new FleetEventLog(fleet.infrastructure().kafkaBootstrapServers());
    }

    /** Starts the fleet in a new temporary directory named after {@code name}, with {@code settings} on top. */
    static QuickFleet start(String name, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(ExampleAgents.fleetSettings());
        all.put("miminions.scheduler.lease-duration", "3s");
        all.put("miminions.scheduler.tick-interval", "200ms");
        all.put("miminions.agent-host.heartbeat-interval", "500ms");
        all.put("miminions.agent-host.stop-timeout", "5s");
        all.put("miminions.agent-host.control-session-timeout", "6s");
        all.putAll(settings);
        try {
            return new QuickFleet(LocalFleet.start(Files.createTempDirectory("miminions-" + name), all));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LocalFleet fleet() {
        return fleet;
    }

    MiminionsClient runtime() {
        return runtime;
    }

    FleetEventLog events() {
        return events;
    }

    @Override
    public void close() {
        events.close();
        fleet.close();
    }
}
