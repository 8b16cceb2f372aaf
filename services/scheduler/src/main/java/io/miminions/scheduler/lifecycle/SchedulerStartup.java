package io.miminions.scheduler.lifecycle;

import io.miminions.outbox.OutboxRelay;
import io.miminions.scheduler.config.SchedulerConfig;
import io.miminions.scheduler.repository.SchedulerStore;
import io.miminions.scheduler.service.FleetTopicAdmin;
import io.miminions.scheduler.service.TaskScheduler;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Brings the scheduler up in order: the fleet topics, the tables and the outbox, the outbox relay
 * (whose replication slot exists once it has started, so it keeps every outbox row written from
 * then on), then the state rebuilt from the tables. It observes start-up before the Kafka consumers
 * are started (they start at {@code LIBRARY_BEFORE}), so no record meets an unrestored state.
 */
@ApplicationScoped
public class SchedulerStartup {

    private final FleetTopicAdmin topics;
    private final SchedulerStore store;
    private final TaskScheduler scheduler;
    private final SchedulerConfig config;
    private final OutboxRelay relay;

    public SchedulerStartup(FleetTopicAdmin topics, SchedulerStore store, TaskScheduler scheduler, SchedulerConfig config,
            OutboxRelay relay) {
        this.topics = topics;
        this.store = store;
        this.scheduler = scheduler;
        this.config = config;
        this.relay = relay;
    }

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        topics.ensureFleetTopics();
        store.createTables().await().atMost(config.databaseTimeout());
        relay.start();
        scheduler.restore();
    }

    void stop(@Observes ShutdownEvent event) {
        relay.close();
    }
}
