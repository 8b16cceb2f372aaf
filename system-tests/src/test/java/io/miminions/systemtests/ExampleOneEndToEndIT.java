package io.miminions.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.client.MiminionsClient;
import io.miminions.client.TaskPublisher;
import io.miminions.examples.Example01BasicAgent;
import io.miminions.localfleet.FleetInfrastructure;
import io.miminions.localfleet.LocalFleet;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.TaskStatus;
import io.miminions.model.TaskSubmission;
import io.miminions.model.api.TaskView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed example 1 through the four services running as processes on a real broker and database, and
 * one task as one trace across them.
 */
class ExampleOneEndToEndIT {

    private static final List<EventType> TASK_LIFE = List.of(EventType.TASK_SUBMITTED, EventType.TASK_QUEUED,
            EventType.TASK_ASSIGNED, EventType.TASK_STARTED, EventType.TASK_ATTEMPT_ENDED, EventType.TASK_COMPLETED);

    private static LocalFleet fleet;
    private static MiminionsClient runtime;

    @BeforeAll
    static void startFleet() throws IOException {
        fleet = LocalFleet.start(Files.createTempDirectory("miminions-e2e"), Map.of());
        runtime = MiminionsClient.connect(fleet.intakeUri());
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void exampleOneGreetsAliceThroughTheRestApi() {
        assertThat(Example01BasicAgent.run(runtime)).isEqualTo(Map.of("greeting", "Hello, Alice!"));
    }

    @Test
    void aTaskPublishedStraightToKafkaIsGreetedAndAuditedInOrder() throws Exception {
        String agentId = runtime.registerAgent("kafka-hello", "HelloAgent");
        runtime.startAgent(agentId);
        String taskId;
        try (TaskPublisher publisher = new TaskPublisher(fleet.infrastructure().kafkaBootstrapServers())) {
            taskId = publisher.publish(new TaskSubmission(null, "greet-bob", Map.of("name", "Bob"), null, null, null, agentId));
        }

        TaskView task = runtime.waitForTask(taskId, Duration.ofSeconds(30));

        assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(task.output()).isEqualTo(Map.of("greeting", "Hello, Bob!"));
        assertThat(task.ranOnAgentId()).isEqualTo(agentId);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(auditedTypes(taskId)).isEqualTo(TASK_LIFE));
    }

    @Test
    void theRestTaskIsAuditedInOrderToo() throws Exception {
        String agentId = runtime.registerAgent("rest-hello", "HelloAgent");
        runtime.startAgent(agentId);
        String taskId = runtime.submitTask(new TaskSubmission(null, "greet-carol", Map.of("name", "Carol"), 0, null, null, agentId));

        assertThat(runtime.waitForTask(taskId, Duration.ofSeconds(30)).output()).isEqualTo(Map.of("greeting", "Hello, Carol!"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(auditedTypes(taskId)).isEqualTo(TASK_LIFE));
    }

    private static List<EventType> auditedTypes(String taskId) throws IOException, InterruptedException {
        URI uri = fleet.auditUri().resolve("/events?taskId=" + taskId + "&order=asc");
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            return Arrays.stream(Json.read(body, Event[].class)).map(Event::type).toList();
        }
    }

    @Test
    void everyEventOfOneTaskAcrossTheServicesCarriesOneTraceId() {
        String agentId = runtime.registerAgent("traced-hello", "HelloAgent");
        runtime.startAgent(agentId);
        String taskId = runtime.submitTask(new TaskSubmission(null, "greet-dave", Map.of("name", "Dave"), null, null, null, agentId));
        assertThat(runtime.waitForTask(taskId, Duration.ofSeconds(30)).status()).isEqualTo(TaskStatus.COMPLETED);

        List<StoredEvent> events = await().atMost(Duration.ofSeconds(30))
                .until(() -> storedEvents(taskId), stored -> stored.size() == 6);

        assertThat(events).extracting(StoredEvent::type).containsExactly("TASK_SUBMITTED", "TASK_QUEUED", "TASK_ASSIGNED",
                "TASK_STARTED", "TASK_ATTEMPT_ENDED", "TASK_COMPLETED");
        assertThat(events).extracting(StoredEvent::source).contains("task-intake", "scheduler", "agent-host");
        assertThat(events).allSatisfy(event -> assertThat(event.traceId()).as("trace id of %s", event.type()).matches("[0-9a-f]{32}"));
        assertThat(events).extracting(StoredEvent::traceId).containsOnly(events.getFirst().traceId());
    }

    @Test
    void twoTasksAreTwoTraces() {
        String agentId = runtime.registerAgent("traced-twice", "HelloAgent");
        runtime.startAgent(agentId);
        String first = runtime.submitTask(new TaskSubmission(null, "greet-erin", Map.of("name", "Erin"), null, null, null, agentId));
        String second = runtime.submitTask(new TaskSubmission(null, "greet-finn", Map.of("name", "Finn"), null, null, null, agentId));
        runtime.waitForTask(first, Duration.ofSeconds(30));
        runtime.waitForTask(second, Duration.ofSeconds(30));

        String firstTrace = await().atMost(Duration.ofSeconds(30))
                .until(() -> storedEvents(first), stored -> stored.size() == 6).getFirst().traceId();
        String secondTrace = await().atMost(Duration.ofSeconds(30))
                .until(() -> storedEvents(second), stored -> stored.size() == 6).getFirst().traceId();
        assertThat(firstTrace).isNotNull().isNotEqualTo(secondTrace);
    }

    /** An event as audit stored it, with the trace id it kept from the record's traceparent header. */
    private record StoredEvent(String type, String source, String traceId) {
    }

    private static List<StoredEvent> storedEvents(String taskId) throws SQLException {
        FleetInfrastructure infrastructure = fleet.infrastructure();
        try (Connection db = DriverManager.getConnection(infrastructure.postgresJdbcUrl(), infrastructure.postgresUser(),
                        infrastructure.postgresPassword());
                PreparedStatement query = db.prepareStatement(
                        "SELECT type, source, trace_id FROM audit.events WHERE task_id = ? ORDER BY time, seq")) {
            query.setString(1, taskId);
            List<StoredEvent> events = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    events.add(new StoredEvent(rows.getString("type"), rows.getString("source"), rows.getString("trace_id")));
                }
            }
            return events;
        }
    }
}
