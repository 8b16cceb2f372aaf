package io.miminions.audit.rest;

import io.miminions.audit.EventQuery;
import io.miminions.audit.InvalidQueryException;
import io.miminions.audit.repository.EventRepository;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Severity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The query API of the event store. */
@Path("/events")
@Tag(name = "events", description = "Every event the fleet produced")
public class EventResource {

    private final EventRepository repository;

    EventResource(EventRepository repository) {
        this.repository = repository;
    }

    // Parameters are taken as text and read by EventQuery, so that a bad value answers 400 with a
    // problem body (JAX-RS would answer 404 for a query parameter it cannot convert).
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Find events",
            description = "Events matching every given filter, ordered by time (ties in order of arrival).")
    @APIResponse(responseCode = "200", description = "The matching events, in the wire form of miminions.events",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Event.class)))
    @APIResponse(responseCode = "400", description = "A parameter is not valid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<Event>> find(
            @Parameter(description = "Event type; repeat for several; none for every type",
                    schema = @Schema(type = SchemaType.ARRAY, implementation = EventType.class))
            @QueryParam("type") List<String> types,
            @Parameter(description = "Least severity: ERROR answers ERROR and CRITICAL",
                    schema = @Schema(implementation = Severity.class))
            @QueryParam("severity") String severity,
            @Parameter(description = "Agent id") @QueryParam("agentId") String agentId,
            @Parameter(description = "Task id") @QueryParam("taskId") String taskId,
            @Parameter(description = "Earliest time, inclusive (ISO-8601, such as 2026-11-23T10:15:30Z)",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @QueryParam("since") String since,
            @Parameter(description = "Latest time, exclusive (ISO-8601)",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @QueryParam("until") String until,
            @Parameter(description = "Most events to answer",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "" + EventQuery.MAX_LIMIT,
                            defaultValue = "" + EventQuery.DEFAULT_LIMIT))
            @QueryParam("limit") String limit,
            @Parameter(description = "asc: oldest first; desc: newest first",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"asc", "desc"}, defaultValue = "desc"))
            @QueryParam("order") String order) {
        return repository.find(EventQuery.parse(types, severity, agentId, taskId, since, until, limit, order));
    }

    @ServerExceptionMapper
    RestResponse<Problem> invalidQuery(InvalidQueryException e) {
        return RestResponse.ResponseBuilder.create(Response.Status.BAD_REQUEST, Problem.badRequest(e.getMessage()))
                .type(Problem.MEDIA_TYPE)
                .build();
    }
}
