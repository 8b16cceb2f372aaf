package io.miminions.audit.rest;

import io.miminions.audit.EventFilter;
import io.miminions.model.EventType;
import io.miminions.model.Severity;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The filter parameters shared by {@code GET /events} and {@code GET /events/export}. They are taken
 * as text and read by {@link EventFilter#parse}, so that a bad value answers 400 with a problem body
 * (JAX-RS would answer 404 for a query parameter it cannot convert).
 */
public class EventFilterParameters {

    @QueryParam("type")
    @Parameter(description = "Event type; repeat for several (any of them); none for every type",
            schema = @Schema(type = SchemaType.ARRAY, implementation = EventType.class))
    public List<String> types;

    @QueryParam("severity")
    @Parameter(description = "Exact severity; repeat for several (any of them). For 'this or worse' use minSeverity",
            schema = @Schema(type = SchemaType.ARRAY, implementation = Severity.class))
    public List<String> severities;

    @QueryParam("minSeverity")
    @Parameter(description = "Least severity: ERROR answers ERROR and CRITICAL",
            schema = @Schema(implementation = Severity.class))
    public String minSeverity;

    @QueryParam("agentId")
    @Parameter(description = "Agent id")
    public String agentId;

    @QueryParam("taskId")
    @Parameter(description = "Task id")
    public String taskId;

    @QueryParam("correlationId")
    @Parameter(description = "Correlation id")
    public String correlationId;

    @QueryParam("since")
    @Parameter(description = "Earliest time, inclusive (ISO-8601, such as 2026-11-23T10:15:30Z)",
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    public String since;

    @QueryParam("until")
    @Parameter(description = "Latest time, exclusive (ISO-8601)", schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    public String until;

    /** @throws io.miminions.audit.InvalidQueryException saying which parameter is not valid */
    EventFilter toFilter() {
        return EventFilter.parse(types, severities, minSeverity, agentId, taskId, correlationId, since, until);
    }
}
