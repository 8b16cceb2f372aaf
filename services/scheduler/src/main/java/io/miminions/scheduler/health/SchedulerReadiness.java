package io.miminions.scheduler.health;

import io.miminions.scheduler.service.TaskScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the scheduler has restored its state, and as long as its steps are saved. */
@Readiness
@ApplicationScoped
public class SchedulerReadiness implements HealthCheck {

    private final TaskScheduler scheduler;

    public SchedulerReadiness(TaskScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("scheduler").status(scheduler.isHealthy()).build();
    }
}
