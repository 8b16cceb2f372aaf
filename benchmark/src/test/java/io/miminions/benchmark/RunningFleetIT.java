package io.miminions.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.miminions.client.MiminionsClient;
import io.miminions.localfleet.LocalFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark connected to a fleet that was already running (Kafka, PostgreSQL and the four
 * services as processes, one agent host loading the benchmark's agents), as an operator runs it
 * against a fleet of theirs.
 */
class RunningFleetIT {

    private static LocalFleet fleet;
    private static Map<String, Object> results;

    @BeforeAll
    static void runTheBenchmarkAgainstARunningFleet() throws Exception {
        fleet = LocalFleet.start(Files.createTempDirectory("miminions-benchmark"), Map.of(
                "miminions.agent-host.agent-jars", Path.of("target", "agent-jars").toAbsolutePath().toString(),
                "miminions.intake.max-task-queue-size", "2000"));
        BenchmarkFleet running = BenchmarkFleet.running(fleet.intakeUri(), fleet.infrastructure().kafkaBootstrapServers(),
                fleet.service("scheduler").baseUri(), fleet.infrastructure().workDir());
        results = FleetBenchmark.run(running, new FleetBenchmark.Settings(null, null, null,
                List.of("W1_throughput_2000", "W6"), false, false, 0));
    }

    @AfterAll
    static void stopTheFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void measuresTheWorkloadsNamedOnTheFleetItWasGiven() {
        assertThat(results).containsEntry("fleet", Map.of(
                "running", fleet.intakeUri().toString(),
                "broker", fleet.infrastructure().kafkaBootstrapServers(),
                "scheduler", fleet.service("scheduler").baseUri().toString(),
                "other_agents_running", 0));
        assertThat(figures("W1_throughput_2000"))
                .containsEntry("status", "ok")
                .containsEntry("tasks", 2_000)
                .hasEntrySatisfying("tasks_per_s", perSecond -> assertThat((Long) perSecond).isPositive());
        assertThat(figures("W1_throughput_20000")).containsEntry("status", "not run: not in -Dbenchmark.workloads=W1_throughput_2000,W6");
        assertThat(figures("W2_latency")).containsKey("status").doesNotContainKey("submit_to_start");
    }

    @Test
    void findsTheFleetsProcessesOnThisMachineByTheirCommandLines() {
        assertThat(figures(figures("W1_throughput_2000"), "cpu_us_per_task"))
                .containsOnlyKeys("task-intake", "scheduler", "agent-host", "audit", "kafka", "postgresql")
                .allSatisfy((process, micros) -> assertThat((Long) micros).as(process).isPositive());
        assertThat(figures("memory_idle_rss_mb"))
                .containsOnlyKeys("task-intake", "scheduler", "agent-host", "audit", "kafka", "postgresql");
    }

    @Test
    void readsTheSchedulersMetersAtTheAddressGiven() {
        assertThat(figures(figures("W1_throughput_2000"), "scheduler_steps"))
                .hasEntrySatisfying("steps_per_task", steps -> assertThat((Double) steps).isPositive())
                .hasEntrySatisfying("transaction_mean_ms", millis -> assertThat((Double) millis).isPositive());
    }

    @Test
    void reportsAWorkloadTheFleetCannotRunAsFailedWithTheReason() {
        assertThat((String) figures("W6_messaging").get("status"))
                .startsWith("FAILED")
                .endsWith("W6 needs a second agent host");
    }

    @Test
    void leavesNoAgentOfItsOwnRunning() {
        MiminionsClient runtime = MiminionsClient.connect(fleet.intakeUri());

        assertThat(runtime.listAgents()).isEmpty();
    }

    private static Map<String, Object> figures(String name) {
        return figures(results, name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> figures(Map<String, Object> parent, String name) {
        assertThat(parent).containsKey(name);
        return (Map<String, Object>) parent.get(name);
    }
}
