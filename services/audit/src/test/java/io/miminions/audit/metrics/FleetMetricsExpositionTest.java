package io.miminions.audit.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.miminions.model.api.FleetMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetMetricsExpositionTest {

    @Test
    void writesOneGaugePerMetricAndOneSeriesPerBand() {
        FleetMetrics metrics = new FleetMetrics(12.5, 2, 140, 3, 0.25, 1.5, Map.of(0, 1L, 5, 4L));

        String text = FleetMetricsExposition.format(metrics);

        assertThat(text).contains(
                "# TYPE miminions_fleet_uptime_seconds gauge\nmiminions_fleet_uptime_seconds 12.5\n",
                "miminions_fleet_running_agents 2\n",
                "miminions_fleet_completed_tasks 140\n",
                "miminions_fleet_failed_tasks 3\n",
                "miminions_fleet_avg_task_duration_seconds 0.25\n",
                "miminions_fleet_p95_task_duration_seconds 1.5\n",
                "# TYPE miminions_fleet_queue_depth gauge\n"
                        + "miminions_fleet_queue_depth{priority_band=\"0\"} 1\n"
                        + "miminions_fleet_queue_depth{priority_band=\"5\"} 4\n");
        assertThat(text).endsWith("\n");
    }
}
