package io.miminions.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.miminions.audit.metrics.AuditMetrics;
import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The service against a real broker and database: events produced to miminions.events, rows, REST answers. */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class EventStoreIntegrationTest {

    private static final Duration STORED_WITHIN = Duration.ofSeconds(30);

    /** Times as PostgreSQL keeps them (microseconds), so that what is read back equals what was sent. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS);

    /** One task's events, produced once for the query tests; the last two share a time. */
    private static List<Event> lifeOfATask;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void storesEveryEventExactlyOnceAndSkipsAnInvalidRecord() {
        String taskId = "task-" + UUID.randomUUID();
        Event submitted = event(EventType.TASK_SUBMITTED, taskId, null, T0, Map.of("name", "once"));
        Event queued = event(EventType.TASK_QUEUED, taskId, null, T0.plusMillis(1), Map.of("priority", 5));
        double submittedBefore = storedCount(EventType.TASK_SUBMITTED);
        double queuedBefore = storedCount(EventType.TASK_QUEUED);
        double invalidBefore = registry.get(AuditMetrics.INVALID).counter().count();

        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.EVENTS, taskId, "this is not an event"));
            send(producer, submitted);
            send(producer, submitted); // redelivered
            send(producer, queued);
        }

        await().atMost(STORED_WITHIN).untilAsserted(() -> assertThat(rowsOfTask(taskId)).hasSize(2));
        List<Row> rows = rowsOfTask(taskId);
        assertThat(rows).extracting(row -> row.getString("event_id")).containsExactly(submitted.eventId(), queued.eventId());
        assertThat(rows.get(0).getLong("seq")).isLessThan(rows.get(1).getLong("seq"));
        Row first = rows.get(0);
        assertThat(first.getString("type")).isEqualTo("TASK_SUBMITTED");
        assertThat(first.getString("severity")).isEqualTo("INFO");
        assertThat(first.getOffsetDateTime("time").toInstant()).isEqualTo(T0);
        assertThat(first.getString("source")).isEqualTo("task-intake");
        assertThat(first.getString("task_id")).isEqualTo(taskId);
        assertThat(first.getString("agent_id")).isNull();
        assertThat(first.getString("correlation_id")).isEqualTo("corr-" + taskId);
        assertThat(first.getJsonObject("data").getMap()).isEqualTo(Map.of("name", "once"));

        assertThat(storedCount(EventType.TASK_SUBMITTED) - submittedBefore).isEqualTo(1.0);
        assertThat(storedCount(EventType.TASK_QUEUED) - queuedBefore).isEqualTo(1.0);
        assertThat(registry.get(AuditMetrics.INVALID).counter().count() - invalidBefore).isEqualTo(1.0);
    }

    @Test
    void filtersByTaskInBothOrders() {
        List<Event> events = lifeOfATask();
        String taskId = events.get(0).taskId();

        assertThat(find("taskId", taskId, "order", "asc")).isEqualTo(events);
        assertThat(find("taskId", taskId, "order", "desc")).isEqualTo(events.reversed());
        assertThat(find("taskId", taskId)).isEqualTo(events.reversed());
    }

    @Test
    void answersTheWireFormOfEvents() {
        List<Event> events = lifeOfATask();

        String body = given().queryParam("taskId", events.get(0).taskId()).queryParam("order", "asc")
                .when().get("/events")
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().asString();

        JsonNode expected = Json.tree(Json.writeBytes(events));
        assertThat(Json.tree(body.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }

    @Test
    void filtersByType() {
        List<Event> events = lifeOfATask();
        String taskId = events.get(0).taskId();

        assertThat(find("taskId", taskId, "type", "TASK_STARTED", "type", "TASK_FAILED", "order", "asc"))
                .isEqualTo(events.subList(2, 4));
        assertThat(find("taskId", taskId, "type", "TASK_SUBMITTED")).containsExactly(events.get(0));
    }

    @Test
    void limitsTheAnswer() {
        List<Event> events = lifeOfATask();
        String taskId = events.get(0).taskId();

        assertThat(find("taskId", taskId, "limit", "2")).containsExactly(events.get(3), events.get(2));
        assertThat(find("taskId", taskId, "limit", "2", "order", "asc")).containsExactly(events.get(0), events.get(1));
    }

    @Test
    void filtersBySeverityAgentAndTime() {
        List<Event> events = lifeOfATask();
        String taskId = events.get(0).taskId();
        String agentId = events.get(1).agentId();

        assertThat(find("taskId", taskId, "severity", "WARNING")).containsExactly(events.get(3));
        assertThat(find("agentId", agentId, "order", "asc")).isEqualTo(events.subList(1, 4));
        assertThat(find("taskId", taskId, "since", T0.plusMillis(1).toString(), "until", T0.plusMillis(2).toString()))
                .containsExactly(events.get(1));
    }

    @Test
    void answersProblemDetailsForAnInvalidParameter() {
        given().queryParam("type", "TASK_EXPLODED")
                .when().get("/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", is("about:blank"))
                .body("title", is("Bad Request"))
                .body("status", is(400))
                .body("detail", containsString("unknown type 'TASK_EXPLODED'"));

        given().queryParam("limit", "10001")
                .when().get("/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", is("limit 10001 is outside 1..10000"));
    }

    @Test
    void isReadyWithKafkaAndPostgres() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems(
                        containsString("Reactive PostgreSQL"),
                        containsString("Reactive Messaging")));
    }

    /** Submitted, assigned, started and failed, each a millisecond apart but the last two. */
    private synchronized List<Event> lifeOfATask() {
        if (lifeOfATask == null) {
            String taskId = "task-" + UUID.randomUUID();
            String agentId = "agent-" + UUID.randomUUID();
            Instant t2 = T0.plusMillis(2);
            List<Event> events = List.of(
                    event(EventType.TASK_SUBMITTED, taskId, null, T0, Map.of("name", "life")),
                    event(EventType.TASK_ASSIGNED, taskId, agentId, T0.plusMillis(1), Map.of("attempt", 1)),
                    event(EventType.TASK_STARTED, taskId, agentId, t2, Map.of("attempt", 1)),
                    event(EventType.TASK_FAILED, taskId, agentId, t2,
                            Map.of("attempt", 1, "errorType", "IllegalStateException", "errorMessage", "boom",
                                    "details", Map.of("retryable", false, "tags", List.of("a", "b")))));
            try (KafkaProducer<String, String> producer = producer()) {
                events.forEach(e -> send(producer, e));
            }
            await().atMost(STORED_WITHIN).untilAsserted(() -> assertThat(rowsOfTask(taskId)).hasSize(events.size()));
            lifeOfATask = events;
        }
        return lifeOfATask;
    }

    private static Event event(EventType type, String taskId, String agentId, Instant time, Map<String, Object> data) {
        String source = agentId == null ? "task-intake" : "agent-host";
        return new Event(UUID.randomUUID().toString(), type, type.defaultSeverity(), time, source, agentId, taskId,
                "corr-" + taskId, data);
    }

    private List<Event> find(String... parameters) {
        var request = given();
        for (int i = 0; i < parameters.length; i += 2) {
            request = request.queryParam(parameters[i], parameters[i + 1]);
        }
        String body = request.when().get("/events").then().statusCode(200).extract().asString();
        return List.of(Json.read(body, Event[].class));
    }

    private List<Row> rowsOfTask(String taskId) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT * FROM audit.events WHERE task_id = $1 ORDER BY seq")
                .execute(Tuple.of(taskId)).await().indefinitely()
                .forEach(rows::add);
        return rows;
    }

    private double storedCount(EventType type) {
        return registry.get(AuditMetrics.STORED).tag("type", type.name()).counter().count();
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> producer, Event event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.EVENTS, event.key(), Json.write(event));
        record.headers().add(Topics.ID_HEADER, event.eventId().getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }
}
