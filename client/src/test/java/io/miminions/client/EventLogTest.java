package io.miminions.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Severity;
import io.miminions.model.api.FleetMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the event log client asks the audit service and how it reads the answers, against a stand-in server. */
class EventLogTest {

    private static final Instant T = Instant.parse("2026-11-23T10:15:30Z");

    private HttpServer server;
    private EventLog eventLog;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.start();
        eventLog = EventLog.connect(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void sendsEveryFilterAsAQueryParameter() {
        answer("/events", exchange -> respond(exchange, 200, "application/json", "[]", Map.of()));
        EventQuery query = EventQuery.builder()
                .types(EventType.TASK_COMPLETED, EventType.TASK_FAILED)
                .severity(Severity.ERROR)
                .minSeverity(Severity.WARNING)
                .since(T)
                .until(T.plusSeconds(60))
                .agentId("agent 1")
                .taskId("task-1")
                .correlationId("c&1")
                .limit(50)
                .order(EventQuery.Order.ASC)
                .cursor("abc")
                .build();

        EventPage page = eventLog.queryEvents(query);

        assertThat(page.events()).isEmpty();
        assertThat(page.hasNext()).isFalse();
        assertThat(requests).containsExactly("/events?type=TASK_COMPLETED&type=TASK_FAILED&severity=ERROR&minSeverity=WARNING"
                + "&since=2026-11-23T10%3A15%3A30Z&until=2026-11-23T10%3A16%3A30Z&agentId=agent+1&taskId=task-1"
                + "&correlationId=c%261&limit=50&order=asc&cursor=abc");
    }

    @Test
    void followsTheCursorThroughEveryPage() {
        List<Event> events = List.of(event("e-1"), event("e-2"), event("e-3"));
        answer("/events", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            if (!query.contains("cursor=")) {
                respond(exchange, 200, "application/json", Json.write(events.subList(0, 2)),
                        Map.of(EventLog.NEXT_CURSOR_HEADER, "page-2"));
            } else {
                respond(exchange, 200, "application/json", Json.write(events.subList(2, 3)), Map.of());
            }
        });
        EventQuery query = EventQuery.builder().limit(2).build();

        assertThat(eventLog.allEvents(query).toList()).isEqualTo(events);
        assertThat(requests).containsExactly("/events?limit=2", "/events?limit=2&cursor=page-2");
        assertThat(eventLog.pages(query)).extracting(EventPage::size).containsExactly(2, 1);
    }

    @Test
    void exportsToAFileWithTheFiltersAndNoCursor(@TempDir Path directory) throws IOException {
        answer("/events/export", exchange -> respond(exchange, 200, "application/x-ndjson", "{\"a\":1}\n{\"a\":2}\n", Map.of()));
        Path file = directory.resolve("events.jsonl");

        Path written = eventLog.exportEvents(file, EventQuery.builder().taskId("t").cursor("ignored").build(), true);

        assertThat(written).isEqualTo(file);
        assertThat(Files.readAllLines(file)).containsExactly("{\"a\":1}", "{\"a\":2}");
        assertThat(requests).containsExactly("/events/export?taskId=t&gzip=true");
        assertThat(directory).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void aRefusedExportLeavesTheFileAlone(@TempDir Path directory) throws IOException {
        answer("/events/export", exchange -> respond(exchange, 400, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"unknown type 'X'\"}", Map.of()));
        Path file = Files.writeString(directory.resolve("events.jsonl"), "before\n");

        ApiException e = catchThrowableOfType(ApiException.class, () -> eventLog.exportEvents(file, EventQuery.all(), false));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.problem().detail()).isEqualTo("unknown type 'X'");
        assertThat(Files.readString(file)).isEqualTo("before\n");
        assertThat(directory).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void readsTheMetricsAndThePrometheusText() {
        answer("/metrics/fleet", exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/prometheus")) {
                respond(exchange, 200, "text/plain", "miminions_fleet_running_agents 2\n", Map.of());
            } else {
                respond(exchange, 200, "application/json", """
                        {"uptime_seconds":12.5,"running_agents":2,"completed_tasks":140,"failed_tasks":3,
                         "avg_task_duration_seconds":0.25,"p95_task_duration_seconds":1.5,
                         "queue_depth_by_priority_band":{"0":1,"5":4}}""", Map.of());
            }
        });

        assertThat(eventLog.getMetrics())
                .isEqualTo(new FleetMetrics(12.5, 2, 140, 3, 0.25, 1.5, Map.of(0, 1L, 5, 4L)));
        assertThat(eventLog.exportPrometheusMetrics()).isEqualTo("miminions_fleet_running_agents 2\n");
    }

    @Test
    void aServiceThatDoesNotAnswerIsReportedAsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        EventLog unreachable = EventLog.connect(URI.create("http://127.0.0.1:" + closedPort));

        ApiUnreachableException e = catchThrowableOfType(ApiUnreachableException.class, unreachable::getMetrics);

        assertThat(e).hasMessageContaining("127.0.0.1:" + closedPort);
    }

    private void answer(String path, Handler handler) {
        server.createContext(path, exchange -> {
            requests.add(exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
            handler.handle(exchange);
        });
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        headers.forEach(exchange.getResponseHeaders()::add);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Event event(String id) {
        return new Event(id, EventType.TASK_QUEUED, Severity.INFO, T, "scheduler", null, "task-1", null, Map.of("priority", 5));
    }

    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }
}
