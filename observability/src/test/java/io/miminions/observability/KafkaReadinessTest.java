package io.miminions.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.miminions.localfleet.FleetInfrastructure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The check against the real broker, and against an address where no broker listens. */
class KafkaReadinessTest {

    @Test
    void upWhileTheBrokerAnswers() {
        KafkaReadiness check = new KafkaReadiness(
                Map.of("bootstrap.servers", FleetInfrastructure.shared().kafkaBootstrapServers()), Duration.ofSeconds(10));
        try {
            HealthCheckResponse response = check.call();
            assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            assertThat(response.getData()).hasValueSatisfying(data -> assertThat(data).containsEntry("nodes", 1L));
        } finally {
            check.close();
        }
    }

    @Test
    void downWithAReasonWhenNoBrokerAnswers() throws IOException {
        KafkaReadiness check = new KafkaReadiness(
                Map.of("bootstrap.servers", "127.0.0.1:" + unusedPort()), Duration.ofMillis(500));
        try {
            HealthCheckResponse response = check.call();
            assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(response.getData()).hasValueSatisfying(data ->
                    assertThat(String.valueOf(data.get("reason"))).contains("did not answer within"));
        } finally {
            check.close();
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
