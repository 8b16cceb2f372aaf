package io.miminions.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The fleet's Kafka settings this service shares with the others. */
@ConfigMapping(prefix = "miminions.kafka")
public interface FleetKafkaConfig {

    /** The replication factor of the topics this service creates. */
    @WithDefault("1")
    short replicationFactor();
}
