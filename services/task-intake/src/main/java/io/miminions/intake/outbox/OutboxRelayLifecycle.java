package io.miminions.intake.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.miminions.intake.config.FleetKafkaConfig;
import io.miminions.intake.config.IntakeConfig;
import io.miminions.model.FleetTopics;
import io.miminions.outbox.OutboxRelay;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates the fleet topics and runs the relay of {@code intake.outbox} for as long as the service
 * runs; the relay is also the bean {@link Outbox} sends records early through.
 */
@ApplicationScoped
public class OutboxRelayLifecycle {

    static final String SCHEMA = "intake";

    @Produces
    @Singleton
    static OutboxRelay relay(IntakeConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String databaseUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String databaseUser,
            @ConfigProperty(name = "quarkus.datasource.password") String databasePassword, MeterRegistry registry) {
        return new OutboxRelay(new OutboxRelay.Settings("intake", SCHEMA, databaseUrl, databaseUser, databasePassword,
                bootstrapServers, config.outboxOffsetFile().orElse(null)), registry);
    }

    private final FleetKafkaConfig kafka;
    private final String bootstrapServers;
    private final OutboxRelay relay;

    OutboxRelayLifecycle(FleetKafkaConfig kafka, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            OutboxRelay relay) {
        this.kafka = kafka;
        this.bootstrapServers = bootstrapServers;
        this.relay = relay;
    }

    void onStart(@Observes StartupEvent event) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            FleetTopics.ensure(admin, kafka.replicationFactor());
        }
        relay.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        relay.close();
    }

    /** Stops relaying (records committed meanwhile wait in the WAL); for operators and tests. */
    public void pause() {
        relay.stop();
    }

    /** Relays again, starting with what was committed while paused. */
    public void resume() {
        relay.start();
    }
}
