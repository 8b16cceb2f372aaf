package io.miminions.intake.rest;

import io.miminions.intake.service.AgentRegistry;
import io.miminions.intake.service.InvalidRequestException;
import io.miminions.model.AgentStatus;
import io.miminions.model.api.AgentRegistration;
import io.miminions.model.api.AgentView;
import io.miminions.model.api.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/agents")
@Tag(name = "agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    private final AgentRegistry registry;

    AgentResource(AgentRegistry registry) {
        this.registry = registry;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an agent", description = "The agent is REGISTERED; start it to have a host run it.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = AgentView.class)))
    @APIResponse(responseCode = "400", description = "Invalid registration",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> register(AgentRegistration registration) {
        return registry.register(registration)
                .map(agent -> Response.created(URI.create("/agents/" + agent.agentId())).entity(agent).build());
    }

    @GET
    @Path("/{agentId}")
    @Operation(summary = "Read an agent and its status",
            description = "`status` is what its host last reported; `desiredStatus` what the last request asked for.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AgentView.class)))
    @APIResponse(responseCode = "404", description = "Unknown agent",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AgentView> get(@PathParam("agentId") String agentId) {
        return registry.find(agentId);
    }

    @GET
    @Operation(summary = "List agents", description = "Oldest registration first; only those in the given statuses when any are named.")
    public Uni<List<AgentView>> list(@Parameter(description = "Statuses to keep") @QueryParam("status") List<AgentStatus> statuses) {
        return registry.list(statuses == null || statuses.isEmpty() ? Set.of() : EnumSet.copyOf(statuses));
    }

    @POST
    @Path("/{agentId}/start")
    @Operation(summary = "Start an agent",
            description = "Sends a START command to the agent-host pods; the status turns RUNNING when a host has started it "
                    + "(wait for it with GET /agents/{agentId}/wait). Fails with 409 `agent-limit` "
                    + "(\"Max concurrent agents reached\") when maxConcurrentAgents agents are started already.")
    @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation = AgentView.class)))
    @APIResponse(responseCode = "404", description = "Unknown agent",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The agent's status does not allow it; the problem lists the requests it allows",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> start(@PathParam("agentId") String agentId) {
        return registry.start(agentId).map(AgentResource::accepted);
    }

    @POST
    @Path("/{agentId}/pause")
    @Operation(summary = "Pause a running agent",
            description = "The agent takes no new task; its running task finishes first. Then its host calls onPause, saves "
                    + "the state it returns, and the status turns PAUSED. Tasks and messages for it wait.")
    @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation = AgentView.class)))
    @APIResponse(responseCode = "404", description = "Unknown agent",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The agent's status does not allow it; the problem lists the requests it allows",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> pause(@PathParam("agentId") String agentId) {
        return registry.pause(agentId).map(AgentResource::accepted);
    }

    @POST
    @Path("/{agentId}/resume")
    @Operation(summary = "Resume a paused agent",
            description = "Its host calls onResume with the state saved at the pause; the status turns RUNNING.")
    @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation = AgentView.class)))
    @APIResponse(responseCode = "404", description = "Unknown agent",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The agent's status does not allow it; the problem lists the requests it allows",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> resume(@PathParam("agentId") String agentId) {
        return registry.resume(agentId).map(AgentResource::accepted);
    }

    @POST
    @Path("/{agentId}/stop")
    @Operation(summary = "Stop an agent",
            description = "Graceful (the default): the running task finishes, and the agent's isStopping() turns true. "
                    + "Not graceful: the running task is cancelled. onStop runs either way; the status turns STOPPED.")
    @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation = AgentView.class)))
    @APIResponse(responseCode = "404", description = "Unknown agent",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The agent's status does not allow it; the problem lists the requests it allows",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> stop(@PathParam("agentId") String agentId,
            @Parameter(description = "Let the running task finish") @QueryParam("graceful") @DefaultValue("true") boolean graceful) {
        return registry.stop(agentId, graceful).map(AgentResource::accepted);
    }

    @DELETE
    @Path("/{agentId}")
    @Operation(summary = "Deregister an agent",
            description = "Only an agent that is not started (REGISTERED, STOPPED or FAILED); its saved state is deleted too.")
    @APIResponse(responseCode = "204", description = "Deregistered")
    @APIResponse(responseCode = "404", description = "Unknown agent",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The agent's status does not allow it; the problem lists the requests it allows",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> deregister(@PathParam("agentId") String agentId) {
        return registry.deregister(agentId).replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/{agentId}/wait")
    @Operation(summary = "Wait for an agent to reach a status",
            description = "A long poll: answers as soon as the agent's status is one of `status`, or as it is when timeoutSeconds pass.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AgentView.class)))
    public Uni<AgentView> await(@PathParam("agentId") String agentId,
            @Parameter(description = "The statuses to wait for") @QueryParam("status") List<AgentStatus> statuses,
            @Parameter(description = "How long to wait, in seconds") @QueryParam("timeoutSeconds") @DefaultValue("30") int timeoutSeconds) {
        if (statuses == null || statuses.isEmpty()) {
            throw new InvalidRequestException(List.of("status: name at least one status to wait for"));
        }
        if (timeoutSeconds < 0 || timeoutSeconds > 300) {
            throw new InvalidRequestException(List.of("timeoutSeconds: must be between 0 and 300"));
        }
        Set<AgentStatus> wanted = EnumSet.copyOf(statuses);
        return registry.awaitStatus(agentId, wanted, Duration.ofSeconds(timeoutSeconds));
    }

    private static Response accepted(AgentView agent) {
        return Response.accepted(agent).build();
    }
}
