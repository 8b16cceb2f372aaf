package io.miminions.agenthost.service;

import io.miminions.agenthost.config.AgentHostConfig;
import io.miminions.agenthost.config.KafkaClients;
import io.miminions.model.AgentSnapshot;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The saved state of the agents of the control partitions this host owns: the latest
 * {@link AgentSnapshot} per agent of {@link Topics#AGENTS_STATE}, kept in memory and written through.
 *
 * <p>The state topic is co-partitioned with {@link Topics#AGENTS_CONTROL}: an agent's snapshot is
 * written to the partition of the same number as its control partition, so the host that is
 * assigned control partition {@code p} reads state partition {@code p} to its end
 * ({@link #load(Collection)}) before it brings that partition's agents up.
 */
@ApplicationScoped
public class AgentSnapshots {

    /** The group id of the state reader; it only names the consumer, nothing is committed in it. */
    static final String READER_GROUP_ID = "agent-host-state";

    private static final Logger LOG = Logger.getLogger(AgentSnapshots.class);

    private final KafkaClients kafka;
    private final Duration pollTimeout;
    private final Map<String, Stored> latest = new ConcurrentHashMap<>();
    private KafkaProducer<String, String> producer;

    public AgentSnapshots(KafkaClients kafka, AgentHostConfig config) {
        this.kafka = kafka;
        this.pollTimeout = config.pollTimeout();
    }

    /** Reads the state partitions of these numbers from their beginning to their current end. */
    public void load(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        List<TopicPartition> topicPartitions = partitions.stream().map(p -> new TopicPartition(Topics.AGENTS_STATE, p)).toList();
        try (KafkaConsumer<String, String> reader = kafka.newConsumer(READER_GROUP_ID, Map.of())) {
            reader.assign(topicPartitions);
            reader.seekToBeginning(topicPartitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(topicPartitions);
            while (ends.entrySet().stream().anyMatch(end -> reader.position(end.getKey()) < end.getValue())) {
                reader.poll(pollTimeout).forEach(this::apply);
            }
        }
        LOG.debugf("read the saved state of control partitions %s", partitions);
    }

    /** Forgets the snapshots of partitions this host no longer owns. */
    public void forget(Collection<Integer> partitions) {
        latest.values().removeIf(stored -> partitions.contains(stored.partition));
    }

    /** The latest snapshot of the agent saved by the given generation, if this host knows one. */
    public Optional<AgentSnapshot> latest(String agentId, long generation) {
        Stored stored = latest.get(agentId);
        return stored != null && stored.snapshot.generation() == generation ? Optional.of(stored.snapshot) : Optional.empty();
    }

    /**
     * Saves the snapshot on the state partition of this number and waits until every in-sync replica
     * has it (the producer sends with {@code acks=all}).
     *
     * @throws IllegalStateException when it could not be saved
     */
    public void save(AgentSnapshot snapshot, int partition) {
        send(partition, snapshot.agentId(), Json.write(snapshot));
        latest.put(snapshot.agentId(), new Stored(partition, snapshot));
    }

    /** Deletes the agent's saved state, if this host knows of any: a tombstone on its state partition. */
    public void delete(String agentId, int partition) {
        if (latest.containsKey(agentId)) {
            send(partition, agentId, null);
            latest.remove(agentId);
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            latest.remove(record.key());
            return;
        }
        try {
            latest.put(record.key(), new Stored(record.partition(), Json.read(record.value(), AgentSnapshot.class)));
        } catch (IllegalArgumentException e) {
            LOG.errorf("skipping the unreadable snapshot at offset %d of state partition %d: %s", record.offset(),
                    record.partition(), e.getMessage());
        }
    }

    private void send(int partition, String agentId, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.AGENTS_STATE, partition, agentId, value);
        record.headers().add(Topics.ID_HEADER, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        try {
            producer().send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot save the state of agent " + agentId + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while saving the state of agent " + agentId, e);
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = kafka.newProducer();
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** A snapshot and the state partition it is on. */
    private record Stored(int partition, AgentSnapshot snapshot) {
    }
}
