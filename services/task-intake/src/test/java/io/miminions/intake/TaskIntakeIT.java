package io.miminions.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.miminions.intake.outbox.OutboxRelayLifecycle;
import io.miminions.localfleet.FleetInfrastructure;
import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.AcceptedTask;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Priorities;
import io.miminions.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** task-intake against a real broker, a real PostgreSQL and Debezium reading its WAL. */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class TaskIntakeIT {

    private static final Duration RELAYED = Duration.ofSeconds(60);

    @Inject
    OutboxRelayLifecycle relay;

    @Test
    void aTaskSubmittedByRestIsStoredAndRelayedToItsPriorityBandWithItsSubmittedEvent() {
        String taskId = given().contentType("application/json")
                .body("{\"name\":\"greet-user\",\"input\":{\"name\":\"Alice\"},\"priority\":0}")
                .post("/tasks")
                .then().statusCode(201)
                .body("status", equalTo("PENDING"))
                .body("priority", equalTo(0))
                .body("timeoutSeconds", equalTo(300))
                .extract().path("taskId");

        given().get("/tasks/" + taskId).then().statusCode(200).body("name", equalTo("greet-user"));
        assertAcceptedOnce(taskId, 0);
        assertEventOnce(taskId, EventType.TASK_SUBMITTED);
    }

    @Test
    void aTaskPublishedToTheSubmitTopicIsAccepted() {
        String taskId = UUID.randomUUID().toString();
        publish(taskId, ("{\"taskId\":\"" + taskId + "\",\"name\":\"from-kafka\",\"priority\":75}").getBytes(StandardCharsets.UTF_8));

        assertAcceptedOnce(taskId, 75);
        given().get("/tasks/" + taskId).then().statusCode(200).body("name", equalTo("from-kafka"));
    }

    @Test
    void invalidRecordsOnTheSubmitTopicAreParkedWithTheirReasonAndTheConsumerGoesOn() {
        String malformedKey = "malformed-" + UUID.randomUUID();
        String invalidKey = "invalid-" + UUID.randomUUID();
        byte[] malformed = "{\"name\": \"broken".getBytes(StandardCharsets.UTF_8);
        byte[] invalid = "{\"name\":\"x\",\"priority\":500}".getBytes(StandardCharsets.UTF_8);
        String validId = UUID.randomUUID().toString();
        publish(malformedKey, malformed);
        publish(invalidKey, invalid);
        publish(validId, ("{\"taskId\":\"" + validId + "\",\"name\":\"after-the-bad-ones\"}").getBytes(StandardCharsets.UTF_8));

        try (TopicRecords dlq = new TopicRecords(Topics.DLQ)) {
            await().atMost(RELAYED).untilAsserted(() -> {
                List<ConsumerRecord<String, byte[]>> parked = dlq.matching(r -> malformedKey.equals(r.key()) || invalidKey.equals(r.key()));
                assertThat(parked).hasSize(2);
                ConsumerRecord<String, byte[]> first = parked.stream().filter(r -> malformedKey.equals(r.key())).findFirst().orElseThrow();
                assertThat(first.value()).isEqualTo(malformed);
                assertThat(TopicRecords.header(first, Topics.DLQ_REASON_HEADER)).contains("malformed JSON");
                assertThat(TopicRecords.header(first, Topics.DLQ_TOPIC_HEADER)).isEqualTo(Topics.TASKS_SUBMIT);
                ConsumerRecord<String, byte[]> second = parked.stream().filter(r -> invalidKey.equals(r.key())).findFirst().orElseThrow();
                assertThat(second.value()).isEqualTo(invalid);
                assertThat(TopicRecords.header(second, Topics.DLQ_REASON_HEADER)).contains("priority");
            });
        }
        assertEventOnce(malformedKey, EventType.TASK_REJECTED);
        assertEventOnce(invalidKey, EventType.TASK_REJECTED);
        assertAcceptedOnce(validId, Priorities.DEFAULT);
    }

    @Test
    void invalidRestBodiesGetProblemDetails() {
        given().contentType("application/json").body("{\"name\":")
                .post("/tasks")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:miminions:problem:invalid-submission"))
                .body("detail", containsString("malformed JSON"));

        given().contentType("application/json").body("{\"priority\":-1,\"dependencies\":\"x\"}")
                .post("/tasks")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations", hasSize(3))
                .body("violations", hasItem(containsString("name")));

        given().contentType("application/json").body("{\"name\":\"\",\"agentType\":\"not a class\"}")
                .post("/agents")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations", hasSize(2));

        given().get("/tasks/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aTaskAcceptedWhileTheRelayIsStoppedReachesKafkaOnceItRunsAgain() {
        relay.pause();
        String taskId;
        try {
            taskId = given().contentType("application/json").body("{\"name\":\"while-relay-down\",\"priority\":42}")
                    .post("/tasks").then().statusCode(201).extract().path("taskId");
        } finally {
            relay.resume();
        }
        assertAcceptedOnce(taskId, 42);
        assertEventOnce(taskId, EventType.TASK_SUBMITTED);
    }

    @Test
    void aTaskAcceptedWhileKafkaIsDownReachesKafkaOnceItIsBack() {
        FleetInfrastructure.shared().kafka().stop();
        String taskId;
        try {
            taskId = given().contentType("application/json").body("{\"name\":\"while-kafka-down\",\"priority\":7}")
                    .post("/tasks").then().statusCode(201).extract().path("taskId");
        } finally {
            FleetInfrastructure.shared().kafka().start();
        }
        assertAcceptedOnce(taskId, 7);
    }

    private static void assertAcceptedOnce(String taskId, int priority) {
        try (TopicRecords tasks = new TopicRecords(Topics.TASKS)) {
            await().atMost(RELAYED).until(() -> !tasks.matching(r -> taskId.equals(r.key())).isEmpty());
            List<ConsumerRecord<String, byte[]>> records = tasks.matching(r -> taskId.equals(r.key()));
            assertThat(records).hasSize(1);
            assertThat(records.getFirst().partition()).isEqualTo(Priorities.partitionOf(priority));
            AcceptedTask accepted = Json.read(records.getFirst().value(), AcceptedTask.class);
            assertThat(accepted.priority()).isEqualTo(priority);
            assertThat(TopicRecords.header(records.getFirst(), Topics.ID_HEADER)).isNotBlank();
        }
    }

    private static void assertEventOnce(String taskId, EventType type) {
        try (TopicRecords events = new TopicRecords(Topics.EVENTS)) {
            await().atMost(RELAYED).until(() -> !events.matching(r -> taskId.equals(r.key())).isEmpty());
            await().atMost(RELAYED).untilAsserted(() -> assertThat(events.matching(r -> taskId.equals(r.key())).stream()
                    .map(r -> Json.read(r.value(), Event.class))
                    .filter(e -> e.type() == type)
                    .toList()).hasSize(1));
        }
    }

    private static void publish(String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", FleetInfrastructure.shared().kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.TASKS_SUBMIT, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
