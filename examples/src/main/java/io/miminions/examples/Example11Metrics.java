package io.miminions.examples;

import io.miminions.client.EventLog;
import io.miminions.client.MiminionsClient;
import io.miminions.model.api.FleetMetrics;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Seed example 11, metrics and monitoring: runs a few tasks, then prints the fleet metrics the audit
 * service computes from the event log, and fetches them in the Prometheus text format.
 *
 * <p>Run it against a running fleet: {@code java ... Example11Metrics http://localhost:8081 http://localhost:8084}.
 * Prints {@code Uptime: …s}, {@code Running agents: …}, {@code Completed tasks: …},
 * {@code Avg task duration: …s}, {@code P95 task duration: …s} and {@code Prometheus metrics available}.
 */
public final class Example11Metrics {

    private static final int TASKS = 5;

    private Example11Metrics() {
    }

    public static void main(String[] args) {
        URI api = URI.create(args.length > 0 ? args[0] : System.getenv().getOrDefault("MIMINIONS_API", "http://localhost:8081"));
        URI audit = URI.create(args.length > 1 ? args[1] : System.getenv().getOrDefault("MIMINIONS_AUDIT", "http://localhost:8084"));
        run(MiminionsClient.connect(api), EventLog.connect(audit), System.out);
    }

    /** Does a little work, prints the metrics and answers them. */
    public static FleetMetrics run(MiminionsClient runtime, EventLog eventLog, PrintStream out) {
        long completedBefore = eventLog.getMetrics().completedTasks();

        // ... run agents and tasks ...
        String agentId = runtime.registerAgent("metrics-agent", "HelloAgent");
        runtime.startAgent(agentId);
        List<String> taskIds = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            taskIds.add(runtime.submitTask("greet-user", Map.of("name", "user-" + i)));
        }
        taskIds.forEach(taskId -> runtime.waitForTask(taskId, Duration.ofSeconds(30)));

        // Get runtime metrics, once the audit service has recorded the tasks' outcomes
        FleetMetrics metrics = awaitCompleted(eventLog, completedBefore + TASKS);
        out.printf(Locale.ROOT, "Uptime: %.2fs%n", metrics.uptimeSeconds());
        out.println("Running agents: " + metrics.runningAgents());
        out.println("Completed tasks: " + metrics.completedTasks());
        out.printf(Locale.ROOT, "Avg task duration: %.2fs%n", metrics.avgTaskDurationSeconds());
        out.printf(Locale.ROOT, "P95 task duration: %.2fs%n", metrics.p95TaskDurationSeconds());

        // Export Prometheus metrics (serve them to a Prometheus scraper)
        String prometheus = eventLog.exportPrometheusMetrics();
        if (prometheus.contains("miminions_fleet_running_agents")) {
            out.println("Prometheus metrics available");
        }
        return metrics;
    }

    private static FleetMetrics awaitCompleted(EventLog eventLog, long completed) {
        Instant deadline = Instant.now().plusSeconds(30);
        FleetMetrics metrics = eventLog.getMetrics();
        while (metrics.completedTasks() < completed && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            metrics = eventLog.getMetrics();
        }
        return metrics;
    }
}
