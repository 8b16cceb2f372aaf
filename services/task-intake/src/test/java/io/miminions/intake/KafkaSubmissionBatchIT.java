package io.miminions.intake;

import static io.miminions.intake.IntakeFixtures.RELAYED;
import static io.miminions.intake.IntakeFixtures.assertAcceptedOnce;
import static io.miminions.intake.IntakeFixtures.assertEventOnce;
import static io.miminions.intake.IntakeFixtures.assertParked;
import static io.miminions.intake.IntakeFixtures.awaitEventsApplied;
import static io.miminions.intake.IntakeFixtures.endAs;
import static io.miminions.intake.IntakeFixtures.publish;
import static io.miminions.intake.IntakeFixtures.queueLength;
import static io.miminions.intake.IntakeFixtures.unfinished;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.miminions.intake.listener.TaskSubmissionListener;
import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.EventType;
import io.miminions.model.Priorities;
import io.miminions.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The Kafka submission path batch by batch, against the real broker and database. */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class KafkaSubmissionBatchIT {

    @Inject
    TaskSubmissionListener listener;

    @Inject
    Pool pool;

    @ConfigProperty(name = "miminions.intake.max-task-queue-size")
    int queueLimit;

    /**
     * One batch, handed to the listener as the connector would (so that the test decides what one
     * batch holds), at offsets no record of the topic has.
     */
    @Test
    void aBatchParksExactlyItsRefusedRecordsAndAcceptsTheOthersNumberedInTheirOrder() throws Throwable {
        String run = "batch-" + UUID.randomUUID();
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String unknown = UUID.randomUUID().toString();
        Batch batch = new Batch();
        batch.add(first, "{\"taskId\":\"" + first + "\",\"name\":\"" + run + "-00\",\"priority\":5}");
        String malformed = batch.add("malformed-" + run, "{\"name\": ");
        batch.add(second, "{\"taskId\":\"" + second + "\",\"name\":\"" + run + "-01\",\"dependencies\":[\"" + first + "\"]}");
        String unknownDependency = batch.add(UUID.randomUUID().toString(), "{\"name\":\"x\",\"dependencies\":[\"" + unknown + "\"]}");
        batch.add(first, "{\"taskId\":\"" + first + "\",\"name\":\"" + run + "-00\",\"priority\":99}");
        batch.add("generated-" + run, "{\"name\":\"" + run + "-02\",\"dependencies\":[\"" + second + "\"]}");
        String itself = UUID.randomUUID().toString();
        batch.add(itself, "{\"taskId\":\"" + itself + "\",\"name\":\"x\",\"dependencies\":[\"" + itself + "\"]}");
        long free = queueLimit - queueLength(pool) - 3;
        assertThat(free).as("places left in the test profile's queue").isNotNegative();
        List<String> accepted = new ArrayList<>(List.of(run + "-00", run + "-01", run + "-02"));
        for (int i = 0; i < free; i++) {
            String name = run + "-%02d".formatted(3 + i);
            batch.add(UUID.randomUUID().toString(), "{\"name\":\"" + name + "\"}");
            accepted.add(name);
        }
        String full1 = batch.add(UUID.randomUUID().toString(), "{\"name\":\"one-too-many\"}");
        String full2 = batch.add(UUID.randomUUID().toString(), "{\"name\":\"two-too-many\",\"dependencies\":[\"" + first + "\"]}");

        VertxContextSupport.subscribeAndAwait(() -> listener.accept(batch.records()));

        Map<String, String> refused = Map.of(malformed, "malformed JSON", unknownDependency, "unknown task id " + unknown,
                itself, "cannot depend on itself", full1, "queue full", full2, "queue full");
        refused.forEach((key, reason) -> {
            ConsumerRecord<String, byte[]> parked = assertParked(key, reason);
            ConsumerRecord<String, byte[]> original = batch.record(key);
            assertThat(parked.value()).isEqualTo(original.value());
            assertThat(TopicRecords.header(parked, Topics.DLQ_TOPIC_HEADER)).isEqualTo(Topics.TASKS_SUBMIT);
            assertThat(TopicRecords.header(parked, Topics.DLQ_PARTITION_HEADER)).isEqualTo("0");
            assertThat(TopicRecords.header(parked, Topics.DLQ_OFFSET_HEADER)).isEqualTo(Long.toString(original.offset()));
            assertThat(TopicRecords.header(parked, "dead-letter-exception-class-name")).isNotBlank();
            assertThat(assertEventOnce(key, EventType.TASK_REJECTED).data()).containsEntry("origin",
                    Topics.TASKS_SUBMIT + "/0/" + original.offset());
        });
        try (TopicRecords dlq = new TopicRecords(Topics.DLQ)) {
            assertThat(dlq.matchingUpToEnd(r -> batch.keys().contains(r.key()))).as("exactly the refused, in the batch's order")
                    .extracting(ConsumerRecord::key).containsExactly(malformed, unknownDependency, itself, full1, full2);
        }
        List<String> stored = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT name FROM intake.tasks WHERE name LIKE $1 ORDER BY submission_seq")
                .execute(Tuple.of(run + "-%")).await().atMost(RELAYED)) {
            stored.add(row.getString("name"));
        }
        assertThat(stored).as("accepted in the batch's order, numbered in that order").containsExactlyElementsOf(accepted);
        given().get("/tasks/" + first).then().statusCode(200).body("priority", equalTo(5));
        assertThat(queueLength(pool)).isEqualTo(queueLimit).isEqualTo(unfinished(pool));

        for (Row row : pool.preparedQuery("SELECT task_id FROM intake.tasks WHERE name LIKE $1").execute(Tuple.of(run + "-%"))
                .await().atMost(RELAYED)) {
            endAs(row.getString("task_id"), EventType.TASK_CANCELLED, Map.of("reason", "CANCEL_REQUESTED"));
        }
        awaitEventsApplied();
        assertThat(queueLength(pool)).isEqualTo(queueLimit - accepted.size()).isEqualTo(unfinished(pool));
    }

    @Test
    void aBatchWhoseDatabaseConnectionIsLostIsRetriedNeverParked() {
        String taskId = UUID.randomUUID().toString();
        try (HeldQueueLock lock = new HeldQueueLock(pool)) {
            publish(taskId, ("{\"taskId\":\"" + taskId + "\",\"name\":\"while-the-database-fails\"}").getBytes(StandardCharsets.UTF_8));
            int first = await().atMost(RELAYED).until(lock::waitingToReadTheQueue, waiting -> waiting.size() == 1).getFirst();
            lock.cut(first);
            await().atMost(RELAYED).until(lock::waitingToReadTheQueue, waiting -> waiting.size() == 1 && waiting.getFirst() != first);
        }
        assertAcceptedOnce(taskId, Priorities.DEFAULT);
        given().get("/tasks/" + taskId).then().statusCode(200);
        try (TopicRecords dlq = new TopicRecords(Topics.DLQ)) {
            assertThat(dlq.matchingUpToEnd(r -> taskId.equals(r.key()))).isEmpty();
        }
    }

    /** Records of {@code miminions.tasks.submit} partition 0, at offsets far beyond those the tests publish. */
    private static final class Batch {

        private final long firstOffset = 1_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
        private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        private final Map<String, ConsumerRecord<String, byte[]>> byKey = new LinkedHashMap<>();

        String add(String key, String value) {
            ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.TASKS_SUBMIT, 0, firstOffset + records.size(), key,
                    value.getBytes(StandardCharsets.UTF_8));
            records.add(record);
            byKey.putIfAbsent(key, record);
            return key;
        }

        ConsumerRecord<String, byte[]> record(String key) {
            return byKey.get(key);
        }

        Set<String> keys() {
            return byKey.keySet();
        }

        ConsumerRecords<String, byte[]> records() {
            return new ConsumerRecords<>(Map.of(new TopicPartition(Topics.TASKS_SUBMIT, 0), records), Map.of());
        }
    }
}
