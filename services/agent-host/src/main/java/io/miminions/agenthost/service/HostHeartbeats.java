package io.miminions.agenthost.service;

import io.miminions.agenthost.config.AgentHostConfig;
import io.miminions.agenthost.config.KafkaClients;
import io.miminions.model.HostHeartbeat;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Tells the scheduler this host is alive: every {@code heartbeat-interval} a {@link HostHeartbeat} on
 * {@link Topics#HEARTBEATS} naming the agents it runs and the attempt each executes, which keeps their
 * leases. A host with no agent sends nothing. A host that dies stops sending, so its attempts are
 * assigned again once their leases run out.
 */
@ApplicationScoped
public class HostHeartbeats {

    private static final Logger LOG = Logger.getLogger(HostHeartbeats.class);

    private final AgentHost host;
    private final KafkaClients kafka;
    private final Duration interval;
    private ScheduledExecutorService timer;
    private KafkaProducer<String, String> producer;

    public HostHeartbeats(AgentHost host, KafkaClients kafka, AgentHostConfig config) {
        this.host = host;
        this.kafka = kafka;
        this.interval = config.heartbeatInterval();
    }

    void onStart(@Observes StartupEvent startup) {
        producer = kafka.newProducer();
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("host-heartbeats").daemon().unstarted(r));
        timer.scheduleAtFixedRate(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onShutdown(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Sends one heartbeat now, unless this host runs no agent. */
    void beat() {
        List<HostHeartbeat.AgentLease> agents = host.leases();
        if (agents.isEmpty()) {
            return;
        }
        HostHeartbeat heartbeat = new HostHeartbeat(host.hostId(), Instant.now(), agents);
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.HEARTBEATS, heartbeat.hostId(), Json.write(heartbeat));
        record.headers().add(Topics.ID_HEADER, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    LOG.warnf("a heartbeat was not sent: %s", error.getMessage());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("a heartbeat was not sent: %s", e.getMessage());
        }
    }
}
