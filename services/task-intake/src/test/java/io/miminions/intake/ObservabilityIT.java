package io.miminions.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.miminions.localfleet.FleetInfrastructure;
import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.Topics;
import io.miminions.observability.TraceHeaders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** task-intake's trace propagation through its outbox, its meters and its readiness, against the real broker and database. */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class ObservabilityIT {

    private static final Duration RELAYED = Duration.ofSeconds(60);

    @Test
    void bothRecordsOfARestSubmissionContinueTheCallersTrace() {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String callerSpan = "00-" + traceId + "-b7ad6b7169203331-01";
        String taskId = given().contentType("application/json").header(TraceHeaders.TRACEPARENT, callerSpan)
                .body("{\"name\":\"traced\"}")
                .post("/tasks").then().statusCode(201).extract().path("taskId");

        List<ConsumerRecord<String, byte[]>> records = relayedRecordsOf(taskId);

        assertThat(records).allSatisfy(record -> {
            assertThat(TraceHeaders.traceId(record.headers())).isEqualTo(traceId);
            assertThat(TopicRecords.header(record, TraceHeaders.TRACEPARENT)).as("the intake's own span").isNotEqualTo(callerSpan);
        });
    }

    @Test
    void aRestSubmissionWithoutTraceStartsOneThatBothRecordsShare() {
        String taskId = given().contentType("application/json").body("{\"name\":\"untraced-caller\"}")
                .post("/tasks").then().statusCode(201).extract().path("taskId");

        List<ConsumerRecord<String, byte[]>> records = relayedRecordsOf(taskId);

        String traceId = TraceHeaders.traceId(records.getFirst().headers());
        assertThat(traceId).isNotNull();
        assertThat(records).allSatisfy(record -> assertThat(TraceHeaders.traceId(record.headers())).isEqualTo(traceId));
    }

    @Test
    void aSubmissionPublishedToKafkaContinuesTheTraceOfItsRecord() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String taskId = UUID.randomUUID().toString();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", FleetInfrastructure.shared().kafkaBootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.TASKS_SUBMIT, taskId,
                    "{\"taskId\":\"" + taskId + "\",\"name\":\"traced-from-kafka\"}");
            record.headers().add(TraceHeaders.TRACEPARENT, ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }

        assertThat(relayedRecordsOf(taskId)).allSatisfy(record ->
                assertThat(TraceHeaders.traceId(record.headers())).isEqualTo(traceId));
    }

    @Test
    void metricsShowTheOutboxLagAndConsumerLag() {
        given().contentType("application/json").body("{\"name\":\"metered\"}").post("/tasks").then().statusCode(201);

        await().atMost(RELAYED).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("miminions_outbox_lag_seconds_count{relay=\"intake\"}"))
                .body(containsString("miminions_outbox_lag_seconds_bucket{relay=\"intake\""))
                .body(containsString("kafka_consumer_fetch_manager_records_lag_max{")));
    }

    @Test
    void readinessChecksTheBrokerAndTheDatabase() {
        await().atMost(RELAYED).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(equalTo("kafka"), containsString("Reactive PostgreSQL"))));
    }

    /** The accepted task on {@code miminions.tasks} and the TASK_SUBMITTED event, once both are relayed. */
    private static List<ConsumerRecord<String, byte[]>> relayedRecordsOf(String taskId) {
        try (TopicRecords tasks = new TopicRecords(Topics.TASKS); TopicRecords events = new TopicRecords(Topics.EVENTS)) {
            ConsumerRecord<String, byte[]> accepted = await().atMost(RELAYED)
                    .until(() -> tasks.matching(r -> taskId.equals(r.key())), found -> !found.isEmpty()).getFirst();
            ConsumerRecord<String, byte[]> submitted = await().atMost(RELAYED)
                    .until(() -> events.matching(r -> taskId.equals(r.key()) && TopicRecords.value(r).contains("TASK_SUBMITTED")),
                            found -> !found.isEmpty()).getFirst();
            return List.of(accepted, submitted);
        }
    }
}
