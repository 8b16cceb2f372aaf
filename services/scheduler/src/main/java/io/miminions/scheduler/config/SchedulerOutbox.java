package io.miminions.scheduler.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.miminions.outbox.OutboxRelay;
import io.miminions.scheduler.repository.SchedulerStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The relay of the scheduler's outbox: started by {@code SchedulerStartup}, and used by the
 * scheduler to send each step's records right after the commit ({@link OutboxRelay#announce}).
 */
@ApplicationScoped
public class SchedulerOutbox {

    @Produces
    @Singleton
    OutboxRelay relay(SchedulerConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String databaseUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String databaseUser,
            @ConfigProperty(name = "quarkus.datasource.password") String databasePassword,
            @ConfigProperty(name = "kafka.bootstrap.servers") String kafkaBootstrapServers, MeterRegistry registry) {
        return new OutboxRelay(new OutboxRelay.Settings(config.outbox().relayName(), SchedulerStore.SCHEMA,
                databaseUrl, databaseUser, databasePassword, kafkaBootstrapServers,
                config.outbox().offsetFile().orElse(null)), registry);
    }
}
