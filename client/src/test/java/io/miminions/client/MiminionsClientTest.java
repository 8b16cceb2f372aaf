package io.miminions.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the client reports failures; the fleet itself is exercised by the system tests. */
class MiminionsClientTest {

    @Test
    void aFleetThatDoesNotAnswerIsReportedAsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MiminionsClient client = MiminionsClient.connect(URI.create("http://127.0.0.1:" + closedPort));

        ApiUnreachableException e = catchThrowableOfType(ApiUnreachableException.class,
                () -> client.submitTask("t", Map.of()));

        assertThat(e).hasMessageContaining("127.0.0.1:" + closedPort).hasMessageContaining("is the fleet running?");
    }

    @Test
    void aRefusalCarriesTheProblemDetails() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tasks", exchange -> {
            byte[] body = """
                    {"type":"urn:miminions:problem:invalid-submission","title":"Invalid task submission","status":400,
                     "detail":"$.priority: must have a maximum value of 100","violations":["$.priority: must have a maximum value of 100"]}
                    """.getBytes(UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            MiminionsClient client = MiminionsClient.connect(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));

            ApiException e = catchThrowableOfType(ApiException.class, () -> client.submitTask("t", Map.of()));

            assertThat(e.status()).isEqualTo(400);
            assertThat(e.problem().violations()).containsExactly("$.priority: must have a maximum value of 100");
        } finally {
            server.stop(0);
        }
    }
}
