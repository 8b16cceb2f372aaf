package io.miminions.audit.rest;

import io.miminions.audit.EventFilter;
import io.miminions.audit.EventPage;
import io.miminions.audit.EventQuery;
import io.miminions.audit.InvalidQueryException;
import io.miminions.audit.service.EventExporter;
import io.miminions.audit.service.EventSearch;
import io.miminions.model.Event;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The query and export API of the event store. */
@Path("/events")
@Tag(name = "events", description = "Every event the fleet produced")
public class EventResource {

    /** The response header carrying the cursor of the next page. */
    public static final String NEXT_CURSOR = "Miminions-Next-Cursor";
    public static final String NDJSON = "application/x-ndjson";
    public static final String GZIP = "application/gzip";

    private final EventSearch search;
    private final EventExporter exporter;

    EventResource(EventSearch search, EventExporter exporter) {
        this.search = search;
        this.exporter = exporter;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Find events",
            description = "Events matching every given filter, ordered by time (ties in order of arrival), a page at a "
                    + "time. When there are more, the answer carries the cursor of the next page in the header "
                    + NEXT_CURSOR + " and a Link header with rel=\"next\"; ask again with the same parameters and "
                    + "cursor=<it>. Paging answers every event stored when the first page was read exactly once, "
                    + "and leaves out events stored after it.")
    @APIResponse(responseCode = "200", description = "The matching events, in the wire form of miminions.events",
            headers = {
                    @Header(name = NEXT_CURSOR, description = "The cursor of the next page; absent on the last page",
                            schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Link", description = "<the next page's URI>; rel=\"next\"; absent on the last page",
                            schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Event.class)))
    @APIResponse(responseCode = "400", description = "A parameter is not valid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<List<Event>>> find(
            @BeanParam EventFilterParameters filter,
            @Parameter(description = "Most events in this page",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "" + EventQuery.MAX_LIMIT,
                            defaultValue = "" + EventQuery.DEFAULT_LIMIT))
            @QueryParam("limit") String limit,
            @Parameter(description = "asc: oldest first; desc: newest first",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"asc", "desc"}, defaultValue = "desc"))
            @QueryParam("order") String order,
            @Parameter(description = "The cursor a previous page answered in " + NEXT_CURSOR
                    + "; valid with the same filters and order only")
            @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        EventQuery query = EventQuery.parse(filter.toFilter(), limit, order, cursor);
        return search.find(query).map(page -> page(page, uri));
    }

    private static RestResponse<List<Event>> page(EventPage page, UriInfo uri) {
        RestResponse.ResponseBuilder<List<Event>> answer = RestResponse.ResponseBuilder.ok(page.events(),
                MediaType.APPLICATION_JSON_TYPE);
        if (page.next() != null) {
            String cursor = page.next().encode();
            answer.header(NEXT_CURSOR, cursor)
                    .header("Link", "<" + uri.getRequestUriBuilder().replaceQueryParam("cursor", cursor).build() + ">; rel=\"next\"");
        }
        return answer.build();
    }

    @GET
    @Path("/export")
    @Blocking
    @Produces({NDJSON, GZIP})
    @Operation(summary = "Export events as JSON Lines",
            description = "Every event matching the filters and stored when the export starts, one JSON event per line, "
                    + "streamed from the database a page at a time (memory stays flat whatever the size). gzip=true "
                    + "answers a gzip file of the lines instead (application/gzip).")
    @APIResponse(responseCode = "200", description = "The events, one per line",
            content = {@Content(mediaType = NDJSON), @Content(mediaType = GZIP)})
    @APIResponse(responseCode = "400", description = "A parameter is not valid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response export(
            @BeanParam EventFilterParameters filter,
            @Parameter(description = "Most events to export; none for all", schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
            @QueryParam("limit") String limit,
            @Parameter(description = "asc: oldest first; desc: newest first",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"asc", "desc"}, defaultValue = "asc"))
            @QueryParam("order") String order,
            @Parameter(description = "true: a gzip file of the lines", schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
            @QueryParam("gzip") String gzip) {
        EventFilter parsedFilter = filter.toFilter();
        int parsedLimit = EventQuery.parseLimit(limit, Integer.MAX_VALUE, 0);
        EventQuery.Order parsedOrder = EventQuery.parseOrder(order, EventQuery.Order.ASC);
        boolean zipped = parseBoolean("gzip", gzip);
        StreamingOutput body = out -> exporter.export(parsedFilter, parsedOrder, parsedLimit, zipped, out);
        return Response.ok(body, zipped ? GZIP : NDJSON)
                .header("Content-Disposition", "attachment; filename=\"events.jsonl" + (zipped ? ".gz" : "") + "\"")
                .build();
    }

    private static boolean parseBoolean(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidQueryException(parameter + " '" + value + "' is neither true nor false");
        };
    }
}
