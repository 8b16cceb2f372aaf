package io.miminions.intake.rest;

import io.miminions.intake.config.IntakeConfig;
import io.miminions.model.api.FleetLimits;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/limits")
@Tag(name = "limits")
@Produces(MediaType.APPLICATION_JSON)
public class LimitsResource {

    private final IntakeConfig config;

    LimitsResource(IntakeConfig config) {
        this.config = config;
    }

    @GET
    @Operation(summary = "The fleet's resource limits", description = "From task-intake's configuration (miminions.intake.*).")
    public FleetLimits limits() {
        return new FleetLimits(config.maxConcurrentAgents(), config.maxMemoryPerAgentMb(), config.maxTaskQueueSize(),
                config.taskTimeoutSeconds(), config.messageQueueMaxSize());
    }
}
