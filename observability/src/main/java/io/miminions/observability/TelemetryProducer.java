package io.miminions.observability;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Gives every service that depends on this module its {@link Tracer}, named after the service
 * ({@code quarkus.application.name}), from one {@link FleetTelemetry} SDK closed at shutdown. The
 * SDK is made when the application starts, not at its first use: a first use during shutdown (an
 * agent reading its first assignment as its host stops) cannot configure it and failed the agent.
 */
@ApplicationScoped
public class TelemetryProducer {

    @Produces
    @Singleton
    OpenTelemetrySdk openTelemetry(@ConfigProperty(name = "quarkus.application.name") String serviceName) {
        return FleetTelemetry.start(serviceName);
    }

    @Produces
    @Singleton
    Tracer tracer(OpenTelemetrySdk openTelemetry, @ConfigProperty(name = "quarkus.application.name") String serviceName) {
        return openTelemetry.getTracer("io.miminions." + serviceName);
    }

    void makeAtStart(@Observes Startup startup, OpenTelemetrySdk openTelemetry) {
        // injecting it is enough: the singleton exists from now on
    }

    void close(@Disposes OpenTelemetrySdk openTelemetry) {
        openTelemetry.close();
    }
}
