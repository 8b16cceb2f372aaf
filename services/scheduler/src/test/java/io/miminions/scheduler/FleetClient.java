package io.miminions.scheduler;

import static org.awaitility.Awaitility.await;

import io.miminions.model.AcceptedTask;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.HostHeartbeat;
import io.miminions.model.Json;
import io.miminions.model.Priorities;
import io.miminions.model.TaskStatus;
import io.miminions.model.Topics;
import io.miminions.observability.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the rest of the fleet in tests: publishes what task-intake and agent-host would (heartbeats
 * included), reads what the scheduler writes.
 */
final class FleetClient implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final KafkaProducer<String, String> producer;
    /** The agents this fake host keeps alive, each with the attempt it executes ("" when idle). */
    private final Map<String, HostHeartbeat.AgentLease> alive = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

    FleetClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new StringSerializer());
        heartbeats.scheduleWithFixedDelay(this::beat, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** From now on a heartbeat names this agent, idle, every 200 ms. */
    void keepAlive(String agentId) {
        alive.put(agentId, new HostHeartbeat.AgentLease(agentId, null, 0));
    }

    /** From now on the heartbeat names this agent executing this attempt. */
    void executing(String agentId, String taskId, int attempt) {
        alive.put(agentId, new HostHeartbeat.AgentLease(agentId, taskId, attempt));
    }

    /** No heartbeat names this agent any more, as if its host had died. */
    void kill(String agentId) {
        alive.remove(agentId);
    }

    /** Publishes how an attempt ended, as agent-host does. */
    void attemptEnded(String agentId, String taskId, int attempt, TaskStatus outcome, Map<String, Object> data) {
        Map<String, Object> all = new LinkedHashMap<>(data);
        all.put("attempt", attempt);
        all.put("outcome", outcome.name());
        publish(Event.of(EventType.TASK_ATTEMPT_ENDED, "agent-host", agentId, taskId, all));
    }

    private void beat() {
        HostHeartbeat heartbeat = new HostHeartbeat("test-host", Instant.now(), List.copyOf(alive.values()));
        try {
            send(new ProducerRecord<>(Topics.HEARTBEATS, heartbeat.hostId(), Json.write(heartbeat)), UUID.randomUUID().toString());
        } catch (RuntimeException e) {
            // the next beat tries again
        }
    }

    /** Publishes an accepted task as task-intake's relay does: its priority band's partition, keyed by task id. */
    void publish(AcceptedTask task) {
        publish(task, null);
    }

    /** Publishes an accepted task with the {@code traceparent} header task-intake gives it (none when null). */
    void publish(AcceptedTask task, String traceparent) {
        ProducerRecord<String, String> record = acceptedTask(task);
        if (traceparent != null) {
            record.headers().add(TraceHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        send(record, task.taskId());
    }

    /** Publishes accepted tasks in this order without waiting between them, so the scheduler may poll them as one batch. */
    void publishTogether(List<AcceptedTask> tasks) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (AcceptedTask task : tasks) {
            ProducerRecord<String, String> record = acceptedTask(task);
            record.headers().add(Topics.ID_HEADER, task.taskId().getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(record));
        }
        sent.forEach(this::acknowledged);
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
        heartbeats.shutdownNow();
        producer.close();
    }

    private void send(ProducerRecord<String, String> record, String id) {
        record.headers().add(Topics.ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        acknowledged(producer.send(record));
    }

    private void acknowledged(Future<RecordMetadata> sent) {
        try {
            sent.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot publish", e);
        }
    }

    private static ProducerRecord<String, String> acceptedTask(AcceptedTask task) {
        return new ProducerRecord<>(Topics.TASKS, Priorities.partitionOf(task.priority()), task.taskId(), Json.write(task));
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
