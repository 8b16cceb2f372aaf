package io.miminions.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.miminions.client.EventLog;
import io.miminions.client.EventQuery;
import io.miminions.client.MiminionsClient;
import io.miminions.examples.Example10EventLog;
import io.miminions.examples.Example11Metrics;
import io.miminions.localfleet.LocalFleet;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Severity;
import io.miminions.model.api.FleetMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed examples 10 and 11 through the four services running as processes: what they print agrees
 * with the events the audit service holds.
 */
class MonitoringExamplesIT {

    private static final Set<EventType> AGENT_LIFECYCLE = Set.of(EventType.AGENT_REGISTERED, EventType.AGENT_STARTED,
            EventType.AGENT_PAUSED, EventType.AGENT_RESUMED, EventType.AGENT_STOPPED, EventType.AGENT_FAILED);

    private static LocalFleet fleet;
    private static MiminionsClient runtime;
    private static EventLog eventLog;

    @BeforeAll
    static void startFleet() throws IOException {
        fleet = LocalFleet.start(Files.createTempDirectory("miminions-monitoring"), Map.of());
        runtime = MiminionsClient.connect(fleet.intakeUri());
        eventLog = EventLog.connect(fleet.auditUri());
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void exampleTenCountsWhatTheExportedLogHolds(@TempDir Path directory) throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path file = directory.resolve("events.jsonl");

        Example10EventLog.Counts counts = Example10EventLog.run(runtime, eventLog, file, new PrintStream(printed, true,
                StandardCharsets.UTF_8));

        System.out.print(printed.toString(StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "Total events: " + counts.total(),
                "Agent start events: " + counts.agentStarts(),
                "Error events: " + counts.errors(),
                "Events in last hour: " + counts.lastHour(),
                "Events exported to events.jsonl");
        List<Event> exported = Files.readAllLines(file).stream().map(line -> Json.read(line, Event.class)).toList();
        assertThat(counts.total()).isEqualTo(exported.size());
        assertThat(counts.agentStarts()).isPositive()
                .isEqualTo(exported.stream().filter(e -> e.type() == EventType.AGENT_STARTED).count());
        assertThat(counts.errors()).isPositive()
                .isEqualTo(exported.stream().filter(e -> e.severity().isAtLeast(Severity.ERROR)).count());
        assertThat(counts.lastHour()).isPositive()
                .isEqualTo(exported.stream().filter(e -> !e.time().isBefore(counts.lastHourSince())).count());
        assertThat(exported).extracting(Event::type).contains(EventType.TASK_SUBMITTED, EventType.TASK_QUEUED,
                EventType.TASK_ASSIGNED, EventType.TASK_STARTED, EventType.TASK_COMPLETED, EventType.AGENT_FAILED);
        // the export is the log oldest first
        assertThat(exported).extracting(Event::time).isSorted();
    }

    @Test
    void exampleElevenMetricsAgreeWithTheEvents() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        FleetMetrics metrics = Example11Metrics.run(runtime, eventLog, new PrintStream(printed, true, StandardCharsets.UTF_8));

        System.out.print(printed.toString(StandardCharsets.UTF_8));
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).matches("Uptime: \\d+\\.\\d\\ds");
        assertThat(lines.get(1)).isEqualTo("Running agents: " + metrics.runningAgents());
        assertThat(lines.get(2)).isEqualTo("Completed tasks: " + metrics.completedTasks());
        assertThat(lines.get(3)).matches("Avg task duration: \\d+\\.\\d\\ds");
        assertThat(lines.get(4)).matches("P95 task duration: \\d+\\.\\d\\ds");
        assertThat(lines.get(5)).isEqualTo("Prometheus metrics available");

        FleetMetrics fromTheLog = readMetrics(eventLog.allEvents(EventQuery.builder().order(EventQuery.Order.ASC)
                .limit(1000).build()).toList());
        assertThat(metrics.uptimeSeconds()).isPositive();
        assertThat(metrics.runningAgents()).isPositive().isEqualTo(fromTheLog.runningAgents());
        assertThat(metrics.completedTasks()).isGreaterThanOrEqualTo(5).isEqualTo(fromTheLog.completedTasks());
        assertThat(metrics.failedTasks()).isEqualTo(fromTheLog.failedTasks());
        assertThat(metrics.avgTaskDurationSeconds()).isCloseTo(fromTheLog.avgTaskDurationSeconds(), within(1e-9));
        assertThat(metrics.p95TaskDurationSeconds()).isEqualTo(fromTheLog.p95TaskDurationSeconds());
        assertThat(metrics.queuedTasks()).isZero();
        assertThat(eventLog.exportPrometheusMetrics())
                .contains("miminions_fleet_completed_tasks " + metrics.completedTasks() + "\n");
    }

    /**
     * The metrics as a reader of the log works them out: an agent runs if its latest lifecycle event
     * is AGENT_STARTED or AGENT_RESUMED; a task's outcome is its one ending event; a completed task
     * lasted its durationMs, else from its latest TASK_STARTED to its TASK_COMPLETED.
     */
    private static FleetMetrics readMetrics(List<Event> oldestFirst) {
        Map<String, EventType> agents = new HashMap<>();
        Map<String, Event> outcomes = new HashMap<>();
        Map<String, Instant> started = new HashMap<>();
        for (Event e : oldestFirst) {
            if (e.agentId() != null && AGENT_LIFECYCLE.contains(e.type())) {
                agents.put(e.agentId(), e.type());
            }
            if (e.taskId() != null && e.type() == EventType.TASK_STARTED) {
                started.merge(e.taskId(), e.time(), (a, b) -> a.isAfter(b) ? a : b);
            }
            if (e.taskId() != null && e.type().endsTask()) {
                outcomes.putIfAbsent(e.taskId(), e);
            }
        }
        long running = agents.values().stream()
                .filter(t -> t == EventType.AGENT_STARTED || t == EventType.AGENT_RESUMED).count();
        List<Long> durations = new ArrayList<>();
        long failed = 0;
        for (Event outcome : outcomes.values()) {
            if (outcome.type() == EventType.TASK_COMPLETED) {
                if (outcome.data().get("durationMs") instanceof Number n) {
                    durations.add(n.longValue());
                } else if (started.containsKey(outcome.taskId())) {
                    durations.add(Math.round(Duration.between(started.get(outcome.taskId()), outcome.time()).toNanos() / 1e6));
                }
            } else if (outcome.type() == EventType.TASK_FAILED || outcome.type() == EventType.TASK_TIMED_OUT) {
                failed++;
            }
        }
        long completed = outcomes.values().stream().filter(e -> e.type() == EventType.TASK_COMPLETED).count();
        durations.sort(null);
        double avg = durations.stream().mapToLong(Long::longValue).average().orElse(0) / 1000.0;
        double p95 = durations.isEmpty() ? 0 : durations.get((int) Math.ceil(0.95 * durations.size()) - 1) / 1000.0;
        return new FleetMetrics(0, running, completed, failed, avg, p95, Map.of());
    }
}
