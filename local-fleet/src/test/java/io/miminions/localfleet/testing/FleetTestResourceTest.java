package io.miminions.localfleet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.miminions.localfleet.FleetInfrastructure;

class FleetTestResourceTest {

    @Test
    void startGivesTheSharedInfrastructureAsQuarkusConfiguration() {
        FleetTestResource resource = new FleetTestResource();

        Map<String, String> config = resource.start();
        resource.stop();

        FleetInfrastructure shared = FleetInfrastructure.shared();
        assertThat(config).containsOnly(
                Map.entry("kafka.bootstrap.servers", shared.kafkaBootstrapServers()),
                Map.entry("quarkus.datasource.reactive.url", shared.postgresReactiveUrl()),
                Map.entry("quarkus.datasource.username", "miminions"),
                Map.entry("quarkus.datasource.password", "miminions"));
        assertThat(shared.kafka()).as("still running after stop()").isNotNull();
    }
}
