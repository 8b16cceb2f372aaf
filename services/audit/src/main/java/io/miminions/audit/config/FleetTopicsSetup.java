package io.miminions.audit.config;

import io.miminions.model.FleetTopics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Creates the fleet topics that do not exist yet, before the Kafka channels start (they start at
 * {@code LIBRARY_BEFORE}), so that {@code miminions.events} has its partitions before audit subscribes.
 */
@ApplicationScoped
public class FleetTopicsSetup {

    private final Map<String, Object> kafkaConfig;
    private final FleetKafkaConfig fleetKafka;

    FleetTopicsSetup(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, FleetKafkaConfig fleetKafka) {
        this.kafkaConfig = kafkaConfig;
        this.fleetKafka = fleetKafka;
    }

    void ensureTopics(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        Map<String, Object> adminConfig = kafkaConfig.entrySet().stream()
                .filter(e -> AdminClientConfig.configNames().contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        try (Admin admin = Admin.create(adminConfig)) {
            FleetTopics.ensure(admin, fleetKafka.replicationFactor());
        }
    }
}
