package io.miminions.agenthost;

import io.miminions.agenthost.service.AgentHost;
import io.miminions.localfleet.testing.FleetTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the agent host's tests against the real broker share: the host under test, the broker's
 * address, and a {@link TestKafka} of their own for each test.
 */
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
abstract class HostKafkaTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgentHost host;

    TestKafka kafka;

    @BeforeEach
    void connect() {
        kafka = new TestKafka(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }
}
