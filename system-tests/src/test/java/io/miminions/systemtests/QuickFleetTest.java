package io.miminions.systemtests;

import io.miminions.client.MiminionsClient;
import io.miminions.examples.ExampleAgents;
import io.miminions.localfleet.LocalFleet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The base of the system tests that run one fleet of processes per test class, with the example
 * agents and timings short enough for tests (3 s leases, heartbeats every 500 ms, a killed agent
 * host's agents moved after 6 s): a subclass starts it in its {@code @BeforeAll} with
 * {@link #startQuickFleet}, and it is stopped after the class. The fields hold the running class's
 * fleet (test classes run one after another).
 */
abstract class QuickFleetTest {

    static LocalFleet fleet;
    static MiminionsClient runtime;
    static FleetEventLog events;

    /** Starts the fleet in a new temporary directory named after {@code name}, with {@code settings} on top. */
    static void startQuickFleet(String name, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(ExampleAgents.fleetSettings());
        all.put("miminions.scheduler.lease-duration", "3s");
        all.put("miminions.scheduler.tick-interval", "200ms");
        all.put("miminions.agent-host.heartbeat-interval", "500ms");
        all.put("miminions.agent-host.stop-timeout", "5s");
        all.put("miminions.agent-host.control-session-timeout", "6s");
        all.putAll(settings);
        try {
            fleet = LocalFleet.start(Files.createTempDirectory("miminions-" + name), all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        runtime = MiminionsClient.connect(fleet.intakeUri());
        events = new FleetEventLog(fleet.infrastructure().kafkaBootstrapServers());
    }

    @AfterAll
    static void stopQuickFleet() {
        if (events != null) {
            events.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        fleet = null;
        runtime = null;
        events = null;
    }
}
