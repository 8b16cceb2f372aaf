package io.miminions.scheduler;

import static org.awaitility.Awaitility.await;

import io.miminions.model.AcceptedTask;
import io.miminions.model.Event;
import io.miminions.model.Json;
import io.miminions.model.Priorities;
import io.miminions.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plays the rest of the fleet in tests: publishes what task-intake and agent-host would, reads what the scheduler writes. */
final class FleetClient implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final KafkaProducer<String, String> producer;

    FleetClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new StringSerializer());
    }

    /** Publishes an accepted task as task-intake's relay does: its priority band's partition, keyed by task id. */
    void publish(AcceptedTask task) {
        send(new ProducerRecord<>(Topics.TASKS, Priorities.partitionOf(task.priority()), task.taskId(), Json.write(task)),
                task.taskId());
    }

    /** Publishes an event as agent-host does. */
    void publish(Event event) {
        send(new ProducerRecord<>(Topics.EVENTS, event.key(), Json.write(event)), event.eventId());
    }

    /** Reads a topic from its beginning, once it exists. */
    TopicReader read(String topic) {
        return new TopicReader(topic);
    }

    @Override
    public void close() {
        producer.close();
    }

    private void send(ProducerRecord<String, String> record, String id) {
        record.headers().add(Topics.ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + record.topic(), e);
        }
    }

    /** Every record of one topic, polled on demand. */
    final class TopicReader implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

        private TopicReader(String topic) {
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                    new StringDeserializer(), new StringDeserializer());
            await().atMost(PATIENCE).until(() -> !consumer.partitionsFor(topic).isEmpty());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** The records seen so far, after one more poll. */
        List<ConsumerRecord<String, String>> records() {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            return List.copyOf(seen);
        }

        /** The values seen so far as records of this type. */
        <T> List<T> values(Class<T> type) {
            return records().stream().map(r -> Json.read(r.value(), type)).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
