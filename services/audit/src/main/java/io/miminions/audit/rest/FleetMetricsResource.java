package io.miminions.audit.rest;

import io.miminions.audit.metrics.FleetMetricsExposition;
import io.miminions.audit.service.FleetMetricsService;
import io.miminions.model.api.FleetMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The fleet metrics, computed from the stored events; the service's own meters are at {@code /q/metrics}. */
@Path("/metrics/fleet")
@Tag(name = "metrics", description = "Fleet metrics from the event log")
public class FleetMetricsResource {

    private final FleetMetricsService metrics;

    FleetMetricsResource(FleetMetricsService metrics) {
        this.metrics = metrics;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Fleet metrics",
            description = "Uptime, running agents, completed and failed tasks, task durations and queue depth by priority band.")
    public Uni<FleetMetrics> metrics() {
        return metrics.metrics();
    }

    @GET
    @Path("/prometheus")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Fleet metrics for Prometheus", description = "The same metrics in the Prometheus text format 0.0.4.")
    public Uni<RestResponse<String>> prometheus() {
        return metrics.metrics().map(m -> RestResponse.ResponseBuilder.ok(FleetMetricsExposition.format(m))
                .header("Content-Type", FleetMetricsExposition.CONTENT_TYPE)
                .build());
    }
}
