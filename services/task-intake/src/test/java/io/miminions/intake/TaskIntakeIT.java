package io.miminions.intake;

import static io.miminions.intake.IntakeFixtures.RELAYED;
import static io.miminions.intake.IntakeFixtures.assertAcceptedOnce;
import static io.miminions.intake.IntakeFixtures.assertEventOnce;
import static io.miminions.intake.IntakeFixtures.assertParked;
import static io.miminions.intake.IntakeFixtures.endAs;
import static io.miminions.intake.IntakeFixtures.publish;
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
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Priorities;
import io.miminions.model.Topics;
import io.miminions.model.api.TaskView;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** task-intake against a real broker, a real PostgreSQL and Debezium reading its WAL. */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class TaskIntakeIT {

    @Inject
    OutboxRelayLifecycle relay;

    @Inject
    Pool pool;

    @TestHTTPResource("/tasks")
    URI tasksUri;

    @ConfigProperty(name = "miminions.intake.max-task-queue-size")
    int queueLimit;

    @Test
    void dependenciesMustBeAcceptedTasksOtherThanTheTaskItselfListedOnce() {
        String first = submit("{\"name\":\"first\"}");
        String second = given().contentType("application/json")
                .body("{\"name\":\"second\",\"dependencies\":[\"" + first + "\"]}")
                .post("/tasks")
                .then().statusCode(201)
                .body("dependencies", hasItem(first))
                .extract().path("taskId");
        assertThat(assertAcceptedOnce(second, Priorities.DEFAULT).submissionSeq())
                .as("submission numbers follow acceptance")
                .isGreaterThan(assertAcceptedOnce(first, Priorities.DEFAULT).submissionSeq());

        String unknown = UUID.randomUUID().toString();
        given().contentType("application/json").body("{\"name\":\"x\",\"dependencies\":[\"" + first + "\",\"" + unknown + "\"]}")
                .post("/tasks")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:miminions:problem:invalid-submission"))
                .body("violations", hasSize(1))
                .body("violations[0]", containsString("unknown task id " + unknown));

        String own = UUID.randomUUID().toString();
        given().contentType("application/json").body("{\"taskId\":\"" + own + "\",\"name\":\"x\",\"dependencies\":[\"" + own + "\"]}")
                .post("/tasks")
                .then().statusCode(400)
                .body("violations[0]", containsString("cannot depend on itself"));
        given().get("/tasks/" + own).then().statusCode(404);

        given().contentType("application/json").body("{\"name\":\"x\",\"dependencies\":[\"" + first + "\",\"" + first + "\"]}")
                .post("/tasks")
                .then().statusCode(400)
                .body("violations[0]", containsString("dependencies"));
    }

    @Test
    void aTaskThatWouldWaitForItselfThroughAStoredTaskIsRefused() {
        String newcomer = UUID.randomUUID().toString();
        String stored = UUID.randomUUID().toString();
        // A waiting task stored before dependencies were checked, that depends on a task not accepted yet.
        pool.preparedQuery("INSERT INTO intake.tasks (task_id, name, priority, dependencies, timeout_seconds, status, submitted_at, "
                        + "updated_at) VALUES ($1, 'stored', 50, $2, 30, 'PENDING', now(), now())")
                .execute(Tuple.of(stored, new String[] {newcomer})).await().atMost(RELAYED);
        try {
            given().contentType("application/json")
                    .body("{\"taskId\":\"" + newcomer + "\",\"name\":\"x\",\"dependencies\":[\"" + stored + "\"]}")
                    .post("/tasks")
                    .then().statusCode(400)
                    .body("violations[0]", equalTo("dependencies: a cycle: task " + newcomer + " would wait for itself through " + stored));
            given().get("/tasks/" + newcomer).then().statusCode(404);
        } finally {
            pool.preparedQuery("UPDATE intake.tasks SET status = 'CANCELLED' WHERE task_id = $1").execute(Tuple.of(stored))
                    .await().atMost(RELAYED);
        }
    }

    @Test
    void aRecordWithAnUnknownDependencyIsRejectedAndParked() {
        String taskId = UUID.randomUUID().toString();
        String unknown = UUID.randomUUID().toString();
        publish(taskId, ("{\"taskId\":\"" + taskId + "\",\"name\":\"x\",\"dependencies\":[\"" + unknown + "\"]}")
                .getBytes(StandardCharsets.UTF_8));

        assertParked(taskId, "unknown task id " + unknown);
        Event rejected = assertEventOnce(taskId, EventType.TASK_REJECTED);
        assertThat((String) rejected.data().get("reason")).contains("unknown task id " + unknown);
        given().get("/tasks/" + taskId).then().statusCode(404);
    }

    @Test
    void aCancelRequestIsPassedOnAsAnEventAndAnEndedTaskCannotBeCancelled() {
        String taskId = submit("{\"name\":\"to-cancel\"}");

        given().post("/tasks/" + taskId + "/cancel")
                .then().statusCode(202)
                .body("taskId", equalTo(taskId))
                .body("status", equalTo("PENDING"));
        Event requested = assertEventOnce(taskId, EventType.TASK_CANCEL_REQUESTED);
        assertThat(requested.data()).containsEntry("reason", "CANCEL_REQUESTED");

        endAs(taskId, EventType.TASK_CANCELLED, Map.of("reason", "CANCEL_REQUESTED"));
        await().atMost(RELAYED).untilAsserted(() -> given().get("/tasks/" + taskId).then().body("status", equalTo("CANCELLED")));
        given().post("/tasks/" + taskId + "/cancel")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:miminions:problem:task-ended"));
        given().post("/tasks/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
    }

    @Test
    void aFullQueueRefusesSubmissionsWholeUntilATaskEnds() throws Exception {
        long others = unfinished();
        List<String> mine = new ArrayList<>();
        while (unfinished() < queueLimit - 5) {
            mine.add(submit("{\"name\":\"filler\"}"));
        }
        // Fifteen at once for the last five places: the count is taken under a lock, so exactly five get in.
        List<HttpResponse<String>> answers;
        try (HttpClient http = HttpClient.newHttpClient(); ExecutorService callers = Executors.newFixedThreadPool(15)) {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                calls.add(callers.submit(() -> http.send(HttpRequest.newBuilder(tasksUri).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"racer\"}")).build(), HttpResponse.BodyHandlers.ofString())));
            }
            answers = new ArrayList<>();
            for (Future<HttpResponse<String>> call : calls) {
                answers.add(call.get());
            }
        }
        answers.stream().filter(a -> a.statusCode() == 201).forEach(a -> mine.add(Json.read(a.body(), TaskView.class).taskId()));
        assertThat(answers).extracting(HttpResponse::statusCode).filteredOn(code -> code == 201).hasSize(5);
        assertThat(answers).extracting(HttpResponse::statusCode).filteredOn(code -> code == 429).hasSize(10);
        assertThat(unfinished()).isEqualTo(queueLimit);

        given().contentType("application/json").body("{\"name\":\"one-too-many\"}")
                .post("/tasks")
                .then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("type", equalTo("urn:miminions:problem:queue-full"))
                .body("detail", containsString("queue full"));
        String fromKafka = UUID.randomUUID().toString();
        publish(fromKafka, ("{\"taskId\":\"" + fromKafka + "\",\"name\":\"one-too-many\"}").getBytes(StandardCharsets.UTF_8));
        assertParked(fromKafka, "queue full");
        assertEventOnce(fromKafka, EventType.TASK_REJECTED);

        endAs(mine.getFirst(), EventType.TASK_COMPLETED, Map.of("attempt", 1, "output", Map.of()));
        await().atMost(RELAYED).until(() -> unfinished() < queueLimit);
        mine.add(submit("{\"name\":\"after-one-ended\"}"));

        mine.forEach(id -> endAs(id, EventType.TASK_CANCELLED, Map.of("reason", "CANCEL_REQUESTED")));
        await().atMost(RELAYED).until(() -> unfinished() == others);
    }

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
    void aTaskAcceptedWhileTheRelayIsStoppedReachesKafkaAtOnceAndTheRelayDoesNotSendItAgain() {
        relay.pause();
        String taskId;
        try {
            taskId = given().contentType("application/json").body("{\"name\":\"while-relay-down\",\"priority\":42}")
                    .post("/tasks").then().statusCode(201).extract().path("taskId");
            assertAcceptedOnce(taskId, 42);
            assertEventOnce(taskId, EventType.TASK_SUBMITTED);
        } finally {
            relay.resume();
        }
        // An agent's registration goes out through the relay alone: once its event is on Kafka, the relay
        // has read the WAL past the task's rows.
        String agentId = given().contentType("application/json").body("{\"name\":\"relay-marker\",\"agentType\":\"HelloAgent\"}")
                .post("/agents").then().statusCode(201).extract().path("agentId");
        assertEventOnce(agentId, EventType.AGENT_REGISTERED);
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

    private static String submit(String body) {
        return given().contentType("application/json").body(body).post("/tasks").then().statusCode(201).extract().path("taskId");
    }

    private long unfinished() {
        return IntakeFixtures.unfinished(pool);
    }
}
