package io.miminions.audit.metrics;

import io.miminions.model.api.FleetMetrics;
import java.util.Map;

/**
 * The fleet metrics in the Prometheus text exposition format (version 0.0.4): every metric a gauge
 * named {@code miminions_fleet_<json name>}, the queue depth one series per {@code priority_band}.
 * The task counts are gauges, not counters: they fall when the retention drops old events.
 */
public final class FleetMetricsExposition {

    /** The content type of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private FleetMetricsExposition() {
    }

    public static String format(FleetMetrics metrics) {
        StringBuilder text = new StringBuilder();
        gauge(text, "uptime_seconds", "Seconds since the audit service instance started", metrics.uptimeSeconds());
        gauge(text, "running_agents", "Agents whose latest lifecycle event is AGENT_STARTED or AGENT_RESUMED",
                metrics.runningAgents());
        gauge(text, "completed_tasks", "Tasks that completed, among the events kept", metrics.completedTasks());
        gauge(text, "failed_tasks", "Tasks that failed or timed out, among the events kept", metrics.failedTasks());
        gauge(text, "avg_task_duration_seconds", "Mean duration of the completed tasks",
                metrics.avgTaskDurationSeconds());
        gauge(text, "p95_task_duration_seconds", "95th percentile (nearest rank) of the duration of the completed tasks",
                metrics.p95TaskDurationSeconds());
        header(text, "queue_depth", "Tasks queued for an agent, by priority band (partition of miminions.tasks)");
        for (Map.Entry<Integer, Long> band : metrics.queueDepthByPriorityBand().entrySet()) {
            text.append("miminions_fleet_queue_depth{priority_band=\"").append(band.getKey()).append("\"} ")
                    .append(band.getValue()).append('\n');
        }
        return text.toString();
    }

    private static void gauge(StringBuilder text, String name, String help, double value) {
        header(text, name, help);
        text.append("miminions_fleet_").append(name).append(' ').append(number(value)).append('\n');
    }

    private static void header(StringBuilder text, String name, String help) {
        text.append("# HELP miminions_fleet_").append(name).append(' ').append(help).append('\n');
        text.append("# TYPE miminions_fleet_").append(name).append(" gauge\n");
    }

    private static String number(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
