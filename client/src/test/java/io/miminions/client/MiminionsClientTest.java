package io.miminions.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.miminions.model.Json;
import io.miminions.model.TaskStatus;
import io.miminions.model.TaskSubmission;
import io.miminions.model.api.TaskView;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void aFullQueueAndAnInvalidSubmissionAreTheirOwnExceptions() throws IOException {
        HttpServer server = stub("/tasks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            boolean full = body.contains("one-too-many");
            answer(exchange, full ? 429 : 400, full
                    ? "{\"type\":\"urn:miminions:problem:queue-full\",\"title\":\"Queue full\",\"status\":429,\"detail\":\"queue full\"}"
                    : "{\"type\":\"urn:miminions:problem:invalid-submission\",\"title\":\"Invalid task submission\",\"status\":400,"
                            + "\"detail\":\"unknown\",\"violations\":[\"dependencies: unknown task id x\"]}");
        });
        try {
            MiminionsClient client = client(server);

            QueueFullException full = catchThrowableOfType(QueueFullException.class, () -> client.submitTask("one-too-many", Map.of()));
            SubmissionRejectedException rejected = catchThrowableOfType(SubmissionRejectedException.class,
                    () -> client.submitTask("x", Map.of(), TaskOptions.builder().dependsOn("x").build()));

            assertThat(full.status()).isEqualTo(429);
            assertThat(full.problem().type()).isEqualTo("urn:miminions:problem:queue-full");
            assertThat(rejected.violations()).containsExactly("dependencies: unknown task id x");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void optionsTravelInTheSubmission() throws IOException {
        String[] sent = new String[1];
        HttpServer server = stub("/tasks", exchange -> {
            sent[0] = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            answer(exchange, 201, Json.write(view("t-1", TaskStatus.PENDING)));
        });
        try {
            String id = client(server).submitTask("process", Map.of("n", 1), TaskOptions.builder().priority(0).dependsOn("a", "b")
                    .timeout(Duration.ofSeconds(90)).maxAttempts(3).backoff(Duration.ofSeconds(2)).agentId("agent-1").build());

            assertThat(id).isEqualTo("t-1");
            assertThat(Json.read(sent[0], TaskSubmission.class)).isEqualTo(new TaskSubmission(null, "process", Map.of("n", 1), 0,
                    List.of("a", "b"), 90, "agent-1", 3, 2));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void optionsTheFleetWouldRefuseAreRefusedWhenSet() {
        assertThatThrownBy(() -> TaskOptions.builder().priority(101)).hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> TaskOptions.builder().timeout(Duration.ofMillis(500))).hasMessageContaining("at least 1 s");
        assertThatThrownBy(() -> TaskOptions.builder().maxAttempts(0)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> TaskOptions.builder().dependsOn(" ")).hasMessageContaining("dependency");
        assertThat(TaskOptions.DEFAULTS.dependencies()).isEmpty();
    }

    @Test
    void aTaskThatTimedOutIsATaskTimeoutNotAWaitTimeout() throws IOException {
        HttpServer server = stub("/tasks/slow/wait", exchange -> answer(exchange, 200, Json.write(view("slow", TaskStatus.TIMED_OUT))));
        try {
            TaskTimeoutException e = catchThrowableOfType(TaskTimeoutException.class,
                    () -> client(server).waitForTask("slow", Duration.ofSeconds(5)));

            assertThat(e.task().status()).isEqualTo(TaskStatus.TIMED_OUT);
            assertThat(e).hasMessageContaining("timed out after 30 s");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void cancellingPostsToTheTasksCancelResource() throws IOException {
        String[] method = new String[1];
        HttpServer server = stub("/tasks/t-2/cancel", exchange -> {
            method[0] = exchange.getRequestMethod();
            answer(exchange, 202, Json.write(view("t-2", TaskStatus.RUNNING)));
        });
        try {
            assertThat(client(server).cancelTask("t-2").status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(method[0]).isEqualTo("POST");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aStartRefusedByTheAgentLimitSaysMaxConcurrentAgentsReached() throws IOException {
        HttpServer server = stub("/agents/a-1/start", exchange -> answer(exchange, 409, """
                {"type":"urn:miminions:problem:agent-limit","title":"Max concurrent agents reached","status":409,
                 "detail":"Max concurrent agents reached: 5 agents are running or paused; stop one to start another"}
                """));
        try {
            AgentLimitException e = catchThrowableOfType(AgentLimitException.class, () -> client(server).startAgent("a-1"));

            assertThat(e).hasMessage("Max concurrent agents reached");
            assertThat(e.status()).isEqualTo(409);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anIllegalTransitionNamesTheRequestsTheAgentAllows() throws IOException {
        HttpServer server = stub("/agents/a-2/resume", exchange -> answer(exchange, 409, """
                {"type":"urn:miminions:problem:illegal-transition","title":"Illegal agent transition","status":409,
                 "detail":"cannot resume agent a-2 while it is RUNNING; allowed: pause, stop","allowed":["pause","stop"]}
                """));
        try {
            ApiException e = catchThrowableOfType(ApiException.class, () -> client(server).resumeAgent("a-2"));

            assertThat(e).isNotInstanceOf(AgentLimitException.class);
            assertThat(e.problem().allowed()).containsExactly("pause", "stop");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anOverloadedFleetIsAskedAgainAfterThePauseItNamesAndOneThatAsksForTooLongIsReported() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        String overloaded = "{\"type\":\"urn:miminions:problem:overloaded\",\"title\":\"Overloaded\",\"status\":503,\"detail\":\"busy\"}";
        HttpServer server = stub("/tasks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            if (body.contains("hopeless")) {
                exchange.getResponseHeaders().add("Retry-After", "120");
                answer(exchange, 503, overloaded);
            } else if (calls.incrementAndGet() <= 2) {
                exchange.getResponseHeaders().add("Retry-After", "0");
                answer(exchange, 503, overloaded);
            } else {
                answer(exchange, 201, Json.write(view("accepted-on-third-try", TaskStatus.PENDING)));
            }
        });
        try {
            MiminionsClient client = client(server);

            assertThat(client.submitTask("t", Map.of())).isEqualTo("accepted-on-third-try");
            assertThat(calls).hasValue(3);

            OverloadedException e = catchThrowableOfType(OverloadedException.class, () -> client.submitTask("hopeless", Map.of()));
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(120));
        } finally {
            server.stop(0);
        }
    }

    private static HttpServer stub(String path, com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, handler);
        server.start();
        return server;
    }

    private static MiminionsClient client(HttpServer server) {
        return MiminionsClient.connect(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static TaskView view(String taskId, TaskStatus status) {
        return new TaskView(taskId, "n", Map.of(), 50, List.of(), 30, null, status, null,
                status == TaskStatus.TIMED_OUT ? "TIMED_OUT: attempt 1 ran longer than the task's timeout of 30 s" : null, null,
                Instant.now(), Instant.now(), 1, 1, null);
    }
}
