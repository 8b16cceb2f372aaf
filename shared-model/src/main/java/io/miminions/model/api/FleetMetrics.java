package io.miminions.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet's metrics as the audit service computes them from the events it stored
 * ({@code GET /metrics/fleet}); JSON names in snake case, as in the seed's {@code get_metrics()}.
 *
 * @param uptimeSeconds              how long the audit service instance that answered has been running
 * @param runningAgents              agents whose latest lifecycle event is {@code AGENT_STARTED} or {@code AGENT_RESUMED}
 * @param completedTasks             tasks whose outcome is {@code TASK_COMPLETED}, among the events kept
 * @param failedTasks                tasks whose outcome is {@code TASK_FAILED} or {@code TASK_TIMED_OUT}, among the events kept
 * @param avgTaskDurationSeconds     mean duration of the completed tasks ({@code durationMs} of TASK_COMPLETED, else
 *                                   from TASK_STARTED to TASK_COMPLETED); 0 when there are none
 * @param p95TaskDurationSeconds     95th percentile (nearest rank) of that duration; 0 when there are none
 * @param queueDepthByPriorityBand   tasks whose latest event is {@code TASK_QUEUED}, by priority band
 *                                   ({@code Priorities.partitionOf}); every band 0–9 is present
 */
public record FleetMetrics(
        @JsonProperty("uptime_seconds") double uptimeSeconds,
        @JsonProperty("running_agents") long runningAgents,
        @JsonProperty("completed_tasks") long completedTasks,
        @JsonProperty("failed_tasks") long failedTasks,
        @JsonProperty("avg_task_duration_seconds") double avgTaskDurationSeconds,
        @JsonProperty("p95_task_duration_seconds") double p95TaskDurationSeconds,
        @JsonProperty("queue_depth_by_priority_band") Map<Integer, Long> queueDepthByPriorityBand) {

    public FleetMetrics {
        queueDepthByPriorityBand = queueDepthByPriorityBand == null ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(queueDepthByPriorityBand));
    }

    /** Tasks waiting for an agent, over every band. */
    public long queuedTasks() {
        return queueDepthByPriorityBand.values().stream().mapToLong(Long::longValue).sum();
    }
}
