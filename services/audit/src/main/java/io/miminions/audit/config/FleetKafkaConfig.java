package io.miminions.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Fleet-wide Kafka settings shared by every service. */
@ConfigMapping(prefix = "miminions.kafka")
public interface FleetKafkaConfig {

    /** Replication factor of the fleet topics this service creates when they are missing. */
    @WithDefault("1")
    short replicationFactor();
}
