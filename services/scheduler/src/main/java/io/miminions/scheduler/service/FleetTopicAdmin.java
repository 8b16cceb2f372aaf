package io.miminions.scheduler.service;

import io.miminions.model.FleetTopics;
import io.miminions.scheduler.config.FleetKafkaConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;

/** Creates the topics the scheduler reads and writes: the fleet topics and the topic of each agent. */
@ApplicationScoped
public class FleetTopicAdmin {

    private final Admin admin;
    private final short replicationFactor;
    private final Set<String> agentTopicsEnsured = ConcurrentHashMap.newKeySet();

    public FleetTopicAdmin(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, FleetKafkaConfig config) {
        this.admin = Admin.create(kafkaConfig);
        this.replicationFactor = config.replicationFactor();
    }

    /** Creates the fleet-wide topics that do not exist yet. */
    public void ensureFleetTopics() {
        FleetTopics.ensure(admin, replicationFactor);
    }

    /** Creates the agent's topic, where its assignments go, unless this scheduler already did. */
    public void ensureAgentTopic(String agentId) {
        if (agentTopicsEnsured.contains(agentId)) {
            return;
        }
        FleetTopics.ensure(admin, List.of(FleetTopics.agentTopic(agentId, replicationFactor)));
        agentTopicsEnsured.add(agentId);
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
