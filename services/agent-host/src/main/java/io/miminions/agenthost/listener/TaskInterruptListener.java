package io.miminions.agenthost.listener;

import io.miminions.agenthost.config.AgentHostConfig;
import io.miminions.agenthost.config.FleetKafkaConfig;
import io.miminions.agenthost.config.KafkaClients;
import io.miminions.agenthost.service.AgentHost;
import io.miminions.model.FleetTopics;
import io.miminions.model.Json;
import io.miminions.model.TaskInterrupt;
import io.miminions.model.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads the scheduler's interrupts ({@link Topics#TASK_INTERRUPTS}) from their end, on every host,
 * and passes each to the agent it names if that agent runs here: a cancelled, timed-out or lost
 * attempt stops at once. Offsets are never committed: an interrupt only matters while its attempt runs.
 */
@ApplicationScoped
public class TaskInterruptListener {

    /** The consumer's group id; it only names the consumer, nothing is committed in it. */
    static final String GROUP_ID = "agent-host-interrupts";

    private static final Logger LOG = Logger.getLogger(TaskInterruptListener.class);

    private final AgentHost host;
    private final KafkaClients kafka;
    private final Duration pollTimeout;
    private KafkaConsumer<String, String> consumer;
    private Thread thread;
    private volatile boolean running;

    private final short replicationFactor;

    public TaskInterruptListener(AgentHost host, KafkaClients kafka, AgentHostConfig config, FleetKafkaConfig fleet) {
        this.host = host;
        this.kafka = kafka;
        this.pollTimeout = config.pollTimeout();
        this.replicationFactor = fleet.replicationFactor();
    }

    void onStart(@Observes StartupEvent startup) {
        kafka.ensureTopics(FleetTopics.all(replicationFactor));
        consumer = kafka.newConsumer(GROUP_ID, Map.of());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.TASK_INTERRUPTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        running = true;
        thread = Thread.ofPlatform().name("task-interrupts").start(this::run);
    }

    void onShutdown(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (thread != null) {
            running = false;
            consumer.wakeup();
            thread.join();
        }
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(pollTimeout)) {
                    apply(record);
                }
            }
        } catch (WakeupException e) {
            LOG.debug("the interrupt consumer was woken up to shut down");
        } catch (RuntimeException e) {
            LOG.error("the interrupt consumer failed; running attempts are no longer interrupted on request", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        try {
            TaskInterrupt interrupt = Json.read(record.value(), TaskInterrupt.class);
            if (interrupt.taskId() != null) {
                host.interrupt(interrupt);
            }
        } catch (RuntimeException e) {
            LOG.errorf("skipping the unreadable interrupt at offset %d: %s", record.offset(), e.getMessage());
        }
    }
}
