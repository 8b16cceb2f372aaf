package io.miminions.agenthost.messaging;

import io.miminions.agenthost.config.AgentHostConfig;
import io.miminions.agenthost.config.FleetKafkaConfig;
import io.miminions.agenthost.config.KafkaClients;
import io.miminions.model.AgentCommand;
import io.miminions.model.FleetTopics;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Feeds the {@link AgentDirectory}: reads every partition of {@link Topics#AGENTS_CONTROL} from the
 * beginning, on every host, by manual assignment (no group membership, nothing committed), and
 * follows it for as long as the host runs. Placement reads the same topic in a group, for the
 * partitions this host owns; the directory needs them all.
 */
@ApplicationScoped
public class ControlTopicReader {

    /** The consumer's group id; it only names the consumer, nothing is committed in it. */
    static final String GROUP_ID = "agent-host-directory";

    private static final Logger LOG = Logger.getLogger(ControlTopicReader.class);

    private final AgentDirectory directory;
    private final KafkaClients kafka;
    private final KafkaOffsets offsets;
    private final Duration pollTimeout;
    private final short replicationFactor;
    private final List<TopicPartition> partitions = IntStream.range(0, FleetTopics.CONTROL_PARTITIONS)
            .mapToObj(p -> new TopicPartition(Topics.AGENTS_CONTROL, p)).toList();
    private KafkaConsumer<String, String> consumer;
    private Thread thread;
    private volatile boolean running;

    public ControlTopicReader(AgentDirectory directory, KafkaClients kafka, KafkaOffsets offsets, AgentHostConfig config,
            FleetKafkaConfig fleet) {
        this.directory = directory;
        this.kafka = kafka;
        this.offsets = offsets;
        this.pollTimeout = config.pollTimeout();
        this.replicationFactor = fleet.replicationFactor();
    }

    void onStart(@Observes StartupEvent startup) {
        kafka.ensureTopics(FleetTopics.all(replicationFactor));
        consumer = kafka.newConsumer(GROUP_ID, Map.of());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        running = true;
        thread = Thread.ofPlatform().name("agent-directory").start(this::run);
    }

    void onShutdown(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (thread != null) {
            running = false;
            consumer.wakeup();
            thread.join();
        }
    }

    /**
     * Waits until the directory has read every command written before this call, at most
     * {@code timeout}, so that a send sees the starts and stops that came before it.
     *
     * @return false when it is still behind after the timeout
     */
    public boolean catchUp(Duration timeout) {
        Map<Integer, Long> ends = offsets.endOffsets(partitions).entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
        try {
            return directory.awaitRead(ends, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(pollTimeout)) {
                    apply(record);
                }
                Map<Integer, Long> positions = new HashMap<>();
                partitions.forEach(p -> positions.put(p.partition(), consumer.position(p)));
                directory.advanced(positions);
            }
        } catch (WakeupException e) {
            LOG.debug("the directory consumer was woken up to shut down");
        } catch (RuntimeException e) {
            LOG.error("the directory consumer failed; sends from this host see no later lifecycle changes", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            return;
        }
        try {
            AgentCommand command = record.value() == null ? null : Json.read(record.value(), AgentCommand.class);
            if (command != null && command.action() == null) {
                throw new IllegalArgumentException("the command has no action");
            }
            directory.apply(record.key(), command);
        } catch (IllegalArgumentException e) {
            LOG.debugf("the directory skips the command at offset %d of control partition %d: %s", record.offset(),
                    record.partition(), e.getMessage());
        }
    }
}
