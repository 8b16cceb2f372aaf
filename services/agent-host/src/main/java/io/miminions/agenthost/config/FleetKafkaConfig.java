package io.miminions.agenthost.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The fleet's Kafka topics as this service creates them. */
@ConfigMapping(prefix = "miminions.kafka")
public interface FleetKafkaConfig {

    /** The replication factor of the topics this service creates (fleet topics and agent topics). */
    @WithDefault("1")
    short replicationFactor();
}
