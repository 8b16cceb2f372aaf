package io.miminions.agenthost.health;

import io.miminions.agenthost.listener.AgentPlacement;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the control consumer has joined group {@value AgentPlacement#GROUP_ID} and received its partitions. */
@Readiness
@ApplicationScoped
public class ControlGroupReadiness implements HealthCheck {

    private final AgentPlacement placement;

    public ControlGroupReadiness(AgentPlacement placement) {
        this.placement = placement;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("agent placement").status(placement.hasJoined()).build();
    }
}
