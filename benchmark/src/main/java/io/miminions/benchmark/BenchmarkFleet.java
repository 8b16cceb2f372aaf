package io.miminions.benchmark;

import io.miminions.localfleet.LocalFleet;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The fleet the benchmark measures: one it starts on this machine, or one that is already running. */
sealed interface BenchmarkFleet extends AutoCloseable {

    /** The public API (task-intake). */
    URI intakeUri();

    String kafkaBootstrapServers();

    /** The scheduler, whose meters the benchmark reads; empty when it is not known. */
    Optional<URI> schedulerUri();

    FleetProcesses processes();

    /**
     * Makes sure the fleet has at least two agent hosts (W6 puts its agents on different hosts): a
     * started fleet gets one more, a running fleet has the hosts it has.
     */
    void addAgentHost();

    /** Whether the benchmark started this fleet, and so stops it (with every agent) at the end. */
    boolean startedHere();

    /** What the report says about the fleet. */
    Map<String, Object> describe();

    @Override
    void close();

    /** A local fleet the benchmark starts with {@code settings} for its services, and stops when closed. */
    static BenchmarkFleet start(Map<String, String> settings) {
        LocalFleet fleet = LocalFleet.start(settings);
        return new Started(fleet, FleetProcesses.startedBy(fleet), settings);
    }

    /**
     * A fleet already running, reached at {@code intake} and through the broker at {@code kafka};
     * {@code scheduler} may be null. Its processes are measured where they run on this machine from
     * this project's packaged services, PostgreSQL if it keeps its files in {@code workDir} (a local
     * fleet's work directory).
     */
    static BenchmarkFleet running(URI intake, String kafka, URI scheduler, Path workDir) {
        return new Running(intake, kafka, Optional.ofNullable(scheduler), FleetProcesses.onThisMachine(workDir));
    }

    /** @param settings the services' settings it was started with beyond their defaults */
    record Started(LocalFleet fleet, FleetProcesses processes, Map<String, String> settings) implements BenchmarkFleet {

        @Override
        public URI intakeUri() {
            return fleet.intakeUri();
        }

        @Override
        public String kafkaBootstrapServers() {
            return fleet.infrastructure().kafkaBootstrapServers();
        }

        @Override
        public Optional<URI> schedulerUri() {
            return Optional.of(fleet.service("scheduler").baseUri());
        }

        @Override
        public void addAgentHost() {
            fleet.addAgentHost(Map.of());
        }

        @Override
        public boolean startedHere() {
            return true;
        }

        @Override
        public Map<String, Object> describe() {
            return Map.of("started", "locally", "broker", kafkaBootstrapServers(), "settings", new TreeMap<>(settings));
        }

        @Override
        public void close() {
            fleet.close();
        }
    }

    record Running(URI intakeUri, String kafkaBootstrapServers, Optional<URI> schedulerUri, FleetProcesses processes)
            implements BenchmarkFleet {

        @Override
        public void addAgentHost() {
        }

        @Override
        public boolean startedHere() {
            return false;
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("running", intakeUri.toString());
            described.put("broker", kafkaBootstrapServers);
            described.put("scheduler", schedulerUri.map(URI::toString).orElse("not given: no scheduler_steps"));
            return described;
        }

        @Override
        public void close() {
        }
    }
}
