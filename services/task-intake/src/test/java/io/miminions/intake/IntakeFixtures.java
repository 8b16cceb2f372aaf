package io.miminions.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.localfleet.FleetInfrastructure;
import io.miminions.model.AcceptedTask;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Priorities;
import io.miminions.model.Topics;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What task-intake's integration tests publish to the fleet's topics and expect on them, and the
 * queue figures they read from the database.
 */
final class IntakeFixtures {

    static final Duration RELAYED = Duration.ofSeconds(60);

    /** The consumer group of task-intake's event projection. */
    private static final String EVENTS_GROUP = "task-intake-events";

    private IntakeFixtures() {
    }

    /** Publishes a record to {@code miminions.tasks.submit}, as a client would. */
    static void publish(String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", FleetInfrastructure.shared().kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.TASKS_SUBMIT, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes the event the scheduler would when the task ends. */
    static void endAs(String taskId, EventType type, Map<String, Object> data) {
        Event event = Event.of(type, "scheduler", null, taskId, data);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", FleetInfrastructure.shared().kafkaBootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.EVENTS, taskId, Json.write(event))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the record of this key is parked in {@code miminions.dlq}, once, with the reason. */
    static ConsumerRecord<String, byte[]> assertParked(String key, String reason) {
        try (TopicRecords dlq = new TopicRecords(Topics.DLQ)) {
            await().atMost(RELAYED).untilAsserted(() -> {
                List<ConsumerRecord<String, byte[]>> parked = dlq.matching(r -> key.equals(r.key()));
                assertThat(parked).hasSize(1);
                assertThat(TopicRecords.header(parked.getFirst(), Topics.DLQ_REASON_HEADER)).contains(reason);
            });
            return dlq.matching(r -> key.equals(r.key())).getFirst();
        }
    }

    /** Waits until the accepted task reaches {@code miminions.tasks}, and checks it came once, to its priority's partition. */
    static AcceptedTask assertAcceptedOnce(String taskId, int priority) {
        try (TopicRecords tasks = new TopicRecords(Topics.TASKS)) {
            await().atMost(RELAYED).until(() -> !tasks.matching(r -> taskId.equals(r.key())).isEmpty());
            List<ConsumerRecord<String, byte[]>> records = tasks.matching(r -> taskId.equals(r.key()));
            assertThat(records).hasSize(1);
            assertThat(records.getFirst().partition()).isEqualTo(Priorities.partitionOf(priority));
            AcceptedTask accepted = Json.read(records.getFirst().value(), AcceptedTask.class);
            assertThat(accepted.priority()).isEqualTo(priority);
            assertThat(TopicRecords.header(records.getFirst(), Topics.ID_HEADER)).isNotBlank();
            return accepted;
        }
    }

    /** Waits until exactly one event of this type is on {@code miminions.events} under the key, and answers it. */
    static Event assertEventOnce(String key, EventType type) {
        try (TopicRecords events = new TopicRecords(Topics.EVENTS)) {
            await().atMost(RELAYED).until(() -> !events.matching(r -> key.equals(r.key())).isEmpty());
            return await().atMost(RELAYED).until(() -> events.matching(r -> key.equals(r.key())).stream()
                    .map(r -> Json.read(r.value(), Event.class))
                    .filter(e -> e.type() == type)
                    .toList(), found -> found.size() == 1).getFirst();
        }
    }

    /**
     * Waits until task-intake's event projection (group {@code task-intake-events}) has committed
     * every record on {@code miminions.events} at the call: every event published before is applied.
     */
    static void awaitEventsApplied() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", FleetInfrastructure.shared().kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get()
                    .get(Topics.EVENTS).partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(Topics.EVENTS, p.partition()), p -> OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, end -> end.getValue().offset()));
            await().atMost(RELAYED).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(EVENTS_GROUP)
                        .partitionsToOffsetAndMetadata().get();
                return ends.entrySet().stream().allMatch(end -> end.getValue() == 0
                        || committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() >= end.getValue());
            });
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The unfinished tasks, counted row by row. */
    static long unfinished(Pool pool) {
        return pool.query("SELECT count(*) AS n FROM intake.tasks WHERE status IN ('PENDING', 'QUEUED', 'ASSIGNED', 'RUNNING')")
                .execute().await().atMost(RELAYED).iterator().next().getLong("n");
    }

    /** The queue length task-intake keeps. */
    static long queueLength(Pool pool) {
        return pool.query("SELECT unfinished FROM intake.queue").execute().await().atMost(RELAYED).iterator().next().getLong(0);
    }
}
