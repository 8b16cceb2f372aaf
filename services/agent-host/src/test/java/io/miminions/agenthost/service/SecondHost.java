package io.miminions.agenthost.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.miminions.agenthost.config.AgentHostConfig;
import io.miminions.agenthost.config.FleetKafkaConfig;
import io.miminions.agenthost.config.KafkaClients;
import io.miminions.agenthost.listener.AgentPlacement;
import io.miminions.agenthost.messaging.Messaging;
import io.miminions.agenthost.metrics.PublishedEventMetrics;
import io.miminions.agenthost.tracing.RecordTracing;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Another agent host in the test's JVM, built from the same classes as the one Quarkus runs: it
 * joins the control group, so partitions (and their agents) move between the two. Its agents have
 * inboxes but cannot send messages (it has no message sender).
 */
public final class SecondHost implements AutoCloseable {

    private final EventPublisher events;
    private final AgentSnapshots snapshots;
    private final ControlPartitions ownership = new ControlPartitions();
    private final AgentHost host;
    private final AgentPlacement placement;

    public SecondHost(String bootstrapServers) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        KafkaClients kafka = new KafkaClients(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), meters);
        AgentHostConfig config = new Config("second-host-" + UUID.randomUUID().toString().substring(0, 8));
        FleetKafkaConfig fleet = () -> (short) 1;
        this.events = new EventPublisher(kafka, new RecordTracing(OpenTelemetry.noop().getTracer("second-host")),
                new PublishedEventMetrics(meters));
        this.snapshots = new AgentSnapshots(kafka, config);
        this.host = new AgentHost(config, fleet, kafka, events, snapshots, ownership, meters,
                new Messaging(null, kafka, events, config));
        this.placement = new AgentPlacement(host, ownership, snapshots, events, kafka, config, fleet);
        placement.start();
    }

    public String hostId() {
        return host.hostId();
    }

    /** The control partitions this host owns now. */
    public Set<Integer> owned() {
        return ownership.owned();
    }

    /** Hands its agents over and leaves the control group. */
    @Override
    public void close() throws InterruptedException {
        placement.stop();
        snapshots.close();
        events.close();
    }

    private record Config(String id) implements AgentHostConfig {
        @Override
        public Optional<String> hostId() {
            return Optional.of(id);
        }

        @Override
        public Optional<Path> agentJars() {
            return Optional.empty();
        }

        @Override
        public Duration pollTimeout() {
            return Duration.ofMillis(100);
        }

        @Override
        public Duration inboxFetchMaxWait() {
            return Duration.ofMillis(10);
        }

        @Override
        public Duration heartbeatInterval() {
            return Duration.ofMillis(300);
        }

        @Override
        public Duration stopTimeout() {
            return Duration.ofSeconds(2);
        }

        @Override
        public Duration controlSessionTimeout() {
            return Duration.ofSeconds(6);
        }

        @Override
        public Duration memoryCheckInterval() {
            return Duration.ofMillis(200);
        }
    }
}
