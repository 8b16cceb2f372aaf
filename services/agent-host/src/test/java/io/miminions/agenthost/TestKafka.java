package io.miminions.agenthost;

import static org.awaitility.Awaitility.await;

import io.miminions.agenthost.service.HostedAgent;
import io.miminions.model.AgentAction;
import io.miminions.model.AgentCommand;
import io.miminions.model.AgentLimits;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.FleetTopics;
import io.miminions.model.HostHeartbeat;
import io.miminions.model.Json;
import io.miminions.model.TaskInterrupt;
import io.miminions.model.Topics;
import io.miminions.sdk.AgentMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The test's side of the broker: publishes commands and assignments, reads the events the host records. */
final class TestKafka implements AutoCloseable {

    private final String bootstrapServers;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> events;
    private final Admin admin;
    private final List<ConsumerRecord<String, String>> recorded = new ArrayList<>();

    TestKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new StringSerializer());
        this.events = newConsumer(Map.of());
        List<TopicPartition> partitions = IntStream.range(0, FleetTopics.EVENT_PARTITIONS)
                .mapToObj(p -> new TopicPartition(Topics.EVENTS, p)).toList();
        events.assign(partitions);
        events.seekToBeginning(partitions);
        this.admin = Admin.create(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    static AgentCommand command(String agentId, String agentType, AgentAction action) {
        return command(agentId, agentType, action, 1, AgentLimits.NONE);
    }

    static AgentCommand command(String agentId, String agentType, AgentAction action, long generation, AgentLimits limits) {
        return new AgentCommand(UUID.randomUUID().toString(), agentId, agentId + "-name", agentType, Map.of(), action,
                generation, limits, Instant.now());
    }

    static Assignment assignment(String agentId, Map<String, Object> input) {
        return assignment(agentId, input, 30);
    }

    static Assignment assignment(String agentId, Map<String, Object> input, int timeoutSeconds) {
        return new Assignment(UUID.randomUUID().toString(), 1, agentId, "test task", input, 50, timeoutSeconds, Instant.now(),
                Instant.now().plusSeconds(60));
    }

    /** Publishes the scheduler's order to stop an attempt. */
    void send(TaskInterrupt interrupt) {
        send(new ProducerRecord<>(Topics.TASK_INTERRUPTS, interrupt.taskId(), Json.write(interrupt)), UUID.randomUUID().toString());
    }

    /** Waits for a heartbeat, sent from now on, that matches. */
    HostHeartbeat awaitHeartbeat(Predicate<HostHeartbeat> which) {
        try (KafkaConsumer<String, String> heartbeats = newConsumer(Map.of())) {
            TopicPartition partition = new TopicPartition(Topics.HEARTBEATS, 0);
            heartbeats.assign(List.of(partition));
            heartbeats.seekToEnd(List.of(partition));
            heartbeats.position(partition);
            List<HostHeartbeat> seen = new ArrayList<>();
            return await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        heartbeats.poll(Duration.ofMillis(50)).forEach(r -> seen.add(Json.read(r.value(), HostHeartbeat.class)));
                        return seen.stream().filter(which).findFirst();
                    }, found -> found.isPresent()).orElseThrow();
        }
    }

    /** Publishes the command keyed by its agent id, on the partition the key hashes to. */
    void send(AgentCommand command) {
        send(new ProducerRecord<>(Topics.AGENTS_CONTROL, command.agentId(), Json.write(command)), command.commandId());
    }

    /** Publishes the command on the given control partition. */
    void send(AgentCommand command, int partition) {
        send(new ProducerRecord<>(Topics.AGENTS_CONTROL, partition, command.agentId(), Json.write(command)),
                command.commandId());
    }

    /** Publishes a tombstone for the agent on the control topic: it was deregistered. */
    void deregister(String agentId) {
        send(new ProducerRecord<>(Topics.AGENTS_CONTROL, agentId, null), UUID.randomUUID().toString());
    }

    /** The records of the agent's key on the state topic so far, oldest first (a null value is a tombstone). */
    List<ConsumerRecord<String, String>> stateRecords(String agentId) {
        try (KafkaConsumer<String, String> state = newConsumer(Map.of())) {
            List<TopicPartition> partitions = IntStream.range(0, FleetTopics.CONTROL_PARTITIONS)
                    .mapToObj(p -> new TopicPartition(Topics.AGENTS_STATE, p)).toList();
            state.assign(partitions);
            state.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = state.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> state.position(p) < ends.get(p))) {
                state.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (agentId.equals(r.key())) {
                        records.add(r);
                    }
                });
            }
            return records;
        }
    }

    void send(Assignment assignment) {
        sendToAgent(assignment.agentId(), assignment.taskId(), Json.write(assignment));
    }

    /** Publishes any value, readable or not, on the agent's topic, where its assignments go. */
    void sendToAgent(String agentId, String key, String value) {
        send(new ProducerRecord<>(Topics.agentTopic(agentId), Topics.AGENT_ASSIGNMENTS_PARTITION, key, value), key);
    }

    /** Publishes a message in the agent's inbox, as a sender's host would. */
    void sendToInbox(String agentId, AgentMessage message) {
        send(new ProducerRecord<>(Topics.agentTopic(agentId), Topics.AGENT_INBOX_PARTITION, message.senderId(),
                Json.write(message)), message.messageId());
    }

    /** Sends the assignment, waits for its attempt to complete and returns its output. */
    @SuppressWarnings("unchecked")
    Map<String, Object> run(Assignment assignment) {
        send(assignment);
        Event completed = awaitEvent(e -> ended(e, "COMPLETED") && assignment.taskId().equals(e.taskId()));
        return (Map<String, Object>) completed.data().get("output");
    }

    /** True for the host's report that an attempt ended with this outcome. */
    static boolean ended(Event event, String outcome) {
        return event.type() == EventType.TASK_ATTEMPT_ENDED && outcome.equals(event.data().get("outcome"));
    }

    /** Waits for the first recorded event that matches and returns it. */
    Event awaitEvent(Predicate<Event> which) {
        return await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ofMillis(20))
                .until(() -> recordedEvents(which).stream().findFirst(), found -> found.isPresent()).orElseThrow();
    }

    /** Waits until {@code count} recorded events match and returns them. */
    List<Event> awaitEvents(Predicate<Event> which, int count) {
        return await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(20))
                .until(() -> recordedEvents(which), found -> found.size() >= count);
    }

    /** The events recorded so far that match, in the order of their partition. */
    List<Event> recordedEvents(Predicate<Event> which) {
        return recordedRecords(which).stream().map(TestKafka::event).toList();
    }

    /** The records of the events recorded so far that match, in the order of their partition. */
    List<ConsumerRecord<String, String>> recordedRecords(Predicate<Event> which) {
        events.poll(Duration.ofMillis(10)).forEach(recorded::add);
        return recorded.stream().filter(record -> which.test(event(record))).toList();
    }

    static Event event(ConsumerRecord<String, String> record) {
        return Json.read(record.value(), Event.class);
    }

    /** The offset the host has committed on the agent's topic: how many assignments it has done with. */
    long committedOffset(String agentId) throws ExecutionException, InterruptedException {
        return committedOffset(agentId, Topics.AGENT_ASSIGNMENTS_PARTITION);
    }

    /** The offset the host has committed on one partition of the agent's topic. */
    long committedOffset(String agentId, int partition) throws ExecutionException, InterruptedException {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(HostedAgent.OFFSETS_GROUP_ID)
                .partitionsToOffsetAndMetadata().get().get(new TopicPartition(Topics.agentTopic(agentId), partition));
        return committed == null ? 0 : committed.offset();
    }

    /** A consumer of JSON strings on this broker, with the given extra settings. */
    KafkaConsumer<String, String> newConsumer(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private void send(ProducerRecord<String, String> record, String id) {
        record.headers().add(Topics.ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + record.topic(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
        events.close();
        admin.close();
    }
}
