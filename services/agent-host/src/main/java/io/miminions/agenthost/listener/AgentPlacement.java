package io.miminions.agenthost.listener;

import io.miminions.agenthost.HostEvents;
import io.miminions.agenthost.config.AgentHostConfig;
import io.miminions.agenthost.config.FleetKafkaConfig;
import io.miminions.agenthost.config.KafkaClients;
import io.miminions.agenthost.service.AgentHost;
import io.miminions.agenthost.service.EventPublisher;
import io.miminions.agenthost.service.AgentSnapshots;
import io.miminions.agenthost.service.ControlPartitions;
import io.miminions.model.AgentCommand;
import io.miminions.model.FleetTopics;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Decides which agents run on this host: the agents keyed to the partitions of
 * {@link Topics#AGENTS_CONTROL} this host owns in consumer group {@value #GROUP_ID}.
 *
 * <p>The topic is compacted, so the latest command of an agent is its desired state. When a
 * partition is assigned, it is read from the beginning up to its end offset at that moment, and
 * then each agent of it is brought to the state of its latest command; after that, commands apply
 * as they arrive. Before that, the partition of the same number of {@link Topics#AGENTS_STATE} is
 * read to its end, so the agents' saved state is at hand. When a partition is revoked, its agents are
 * handed over (their state saved here, to be resumed by the new owner); when it is lost (this host
 * was thrown out of the group, for example because it froze), its agents are dropped at once without
 * saving anything. The cooperative assignor keeps the other partitions' agents running through a
 * rebalance. {@link ControlPartitions} follows the ownership, which fences the hosted agents.
 */
@ApplicationScoped
public class AgentPlacement implements ConsumerRebalanceListener {

    public static final String GROUP_ID = "agent-host";

    private static final Logger LOG = Logger.getLogger(AgentPlacement.class);

    private final AgentHost host;
    private final ControlPartitions ownership;
    private final AgentSnapshots snapshots;
    private final EventPublisher events;
    private final KafkaClients kafka;
    private final short replicationFactor;
    private final Duration pollTimeout;
    private final Duration sessionTimeout;
    /** Partitions being read up to these end offsets, with the latest command per agent seen so far. */
    private final Map<TopicPartition, CatchUp> catchingUp = new HashMap<>();
    private KafkaConsumer<String, String> consumer;
    private Thread thread;
    private volatile boolean running;
    private volatile boolean joined;

    public AgentPlacement(AgentHost host, ControlPartitions ownership, AgentSnapshots snapshots, EventPublisher events,
            KafkaClients kafka, AgentHostConfig config, FleetKafkaConfig fleet) {
        this.host = host;
        this.ownership = ownership;
        this.snapshots = snapshots;
        this.events = events;
        this.kafka = kafka;
        this.replicationFactor = fleet.replicationFactor();
        this.pollTimeout = config.pollTimeout();
        this.sessionTimeout = config.controlSessionTimeout();
    }

    /** True once the control consumer has joined its group and received its first assignment. */
    public boolean hasJoined() {
        return joined;
    }

    void onStart(@Observes StartupEvent startup) {
        start();
    }

    void onShutdown(@Observes ShutdownEvent shutdown) throws InterruptedException {
        stop();
    }

    /**
     * Joins group {@value #GROUP_ID} and hosts the agents of the partitions it is given. The session
     * timeout is {@code control-session-timeout}, heartbeats go every third of it.
     */
    public void start() {
        kafka.ensureTopics(FleetTopics.all(replicationFactor));
        consumer = kafka.newConsumer(GROUP_ID, Map.of(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) sessionTimeout.toMillis() / 3));
        running = true;
        thread = Thread.ofPlatform().name("agent-placement").start(this::run);
    }

    /** Hands over every agent of this host and leaves the group; returns once done. */
    public void stop() throws InterruptedException {
        if (thread != null) {
            running = false;
            consumer.wakeup();
            thread.join();
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.AGENTS_CONTROL), this);
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(pollTimeout)) {
                    CatchUp catchUp = catchingUp.get(new TopicPartition(record.topic(), record.partition()));
                    if (catchUp != null) {
                        catchUp.latest.put(record.key() != null ? record.key() : "@" + record.offset(), record);
                    } else {
                        apply(record);
                    }
                }
                finishCatchUps();
            }
        } catch (WakeupException e) {
            LOG.debug("the control consumer was woken up to shut down");
        } catch (RuntimeException e) {
            LOG.error("the control consumer failed; this host stops hosting agents", e);
        } finally {
            joined = false;
            host.handOverAll();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        joined = true;
        if (partitions.isEmpty()) {
            return;
        }
        LOG.infof("hosting the agents of control partitions %s", numbers(partitions));
        ownership.assigned(numbers(partitions));
        snapshots.load(numbers(partitions));
        consumer.seekToBeginning(partitions);
        consumer.endOffsets(partitions).forEach((partition, end) -> catchingUp.put(partition, new CatchUp(end)));
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        LOG.infof("handing over the agents of control partitions %s", numbers(partitions));
        Set<Integer> numbers = numbers(partitions);
        ownership.released(numbers);
        partitions.forEach(catchingUp::remove);
        host.handOver(numbers);
        snapshots.forget(numbers);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        LOG.warnf("lost control partitions %s: this host was thrown out of group %s; dropping their agents",
                numbers(partitions), GROUP_ID);
        Set<Integer> numbers = numbers(partitions);
        ownership.released(numbers);
        partitions.forEach(catchingUp::remove);
        host.drop(numbers);
        snapshots.forget(numbers);
    }

    /** Applies the latest command of each agent of every partition that has been read up to its end offset. */
    private void finishCatchUps() {
        catchingUp.entrySet().removeIf(entry -> {
            if (consumer.position(entry.getKey()) < entry.getValue().endOffset) {
                return false;
            }
            entry.getValue().latest.values().forEach(this::apply);
            return true;
        });
    }

    /** Brings one agent to the state its command asks for; a command that cannot be applied is reported and skipped. */
    private void apply(ConsumerRecord<String, String> record) {
        try {
            if (record.value() == null) {
                if (record.key() != null) {
                    host.deregister(record.key(), record.partition());
                }
                return;
            }
            host.apply(readCommand(record.value()), record.partition());
        } catch (RuntimeException e) {
            LOG.errorf("skipping the command at offset %d of control partition %d: %s", record.offset(),
                    record.partition(), e.getMessage());
            events.publish(HostEvents.serviceError(record.key(), "cannot apply agent command: " + e.getMessage(), record));
        }
    }

    private static AgentCommand readCommand(String value) {
        AgentCommand command = Json.read(value, AgentCommand.class);
        if (command.agentId() == null || command.agentId().isBlank()) {
            throw new IllegalArgumentException("the command has no agentId");
        }
        if (command.action() == null) {
            throw new IllegalArgumentException("the command has no action");
        }
        return command;
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new));
    }

    /** A partition being read from its beginning: where it ended at assignment, and the latest command per agent. */
    private static final class CatchUp {
        final long endOffset;
        final Map<String, ConsumerRecord<String, String>> latest = new LinkedHashMap<>();

        CatchUp(long endOffset) {
            this.endOffset = endOffset;
        }
    }
}
