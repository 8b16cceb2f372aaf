package io.miminions.systemtests;

import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.FleetTopics;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every event on {@code miminions.events} from its beginning, read straight from Kafka and kept
 * once per event id (the outbox relay delivers at least once): the record a test checks.
 */
final class FleetEventLog implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Event> byId = new LinkedHashMap<>();

    FleetEventLog(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = IntStream.range(0, FleetTopics.EVENT_PARTITIONS)
                .mapToObj(p -> new TopicPartition(Topics.EVENTS, p)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** The events of these tasks read so far (after one more poll), each once, in the order of their time. */
    List<Event> of(Collection<String> taskIds) {
        return matching(e -> e.taskId() != null && taskIds.contains(e.taskId()));
    }

    /** The events about these agents (their lifecycle and their tasks) read so far, each once, in the order of their time. */
    List<Event> ofAgents(Collection<String> agentIds) {
        return matching(e -> e.agentId() != null && agentIds.contains(e.agentId()));
    }

    private synchronized List<Event> matching(Predicate<Event> filter) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
            Event event = Json.read(record.value(), Event.class);
            byId.putIfAbsent(event.eventId(), event);
        });
        return byId.values().stream().filter(filter).sorted(Comparator.comparing(Event::time)).toList();
    }

    /** The events of one task of one type read so far. */
    List<Event> of(String taskId, EventType type) {
        return of(List.of(taskId)).stream().filter(e -> e.type() == type).toList();
    }

    /** These tasks in the order they started (their TASK_STARTED events read so far). */
    List<String> startOrder(Collection<String> taskIds) {
        return of(taskIds).stream().filter(e -> e.type() == EventType.TASK_STARTED).map(Event::taskId).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
