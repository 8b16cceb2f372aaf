package io.miminions.localfleet.testing;

import java.util.Map;

import io.miminions.localfleet.FleetInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} the real Kafka broker and PostgreSQL of
 * {@link FleetInfrastructure#shared()}, started on first use and shared by every test in the JVM:
 *
 * <pre>{@code
 * @QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
 * }</pre>
 *
 * The JVM shutdown hook of the shared infrastructure stops it; {@link #stop()} leaves it running for
 * the next test class.
 */
public class FleetTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        FleetInfrastructure infrastructure = FleetInfrastructure.shared();
        return Map.of(
                "kafka.bootstrap.servers", infrastructure.kafkaBootstrapServers(),
                "quarkus.datasource.reactive.url", infrastructure.postgresReactiveUrl(),
                "quarkus.datasource.username", infrastructure.postgresUser(),
                "quarkus.datasource.password", infrastructure.postgresPassword());
    }

    @Override
    public void stop() {
        // the shared infrastructure outlives each test class and stops with the JVM
    }
}
