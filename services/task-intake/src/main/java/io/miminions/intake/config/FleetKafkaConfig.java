package io.miminions.intake.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the service creates the fleet's topics. */
@ConfigMapping(prefix = "miminions.kafka")
public interface FleetKafkaConfig {

    /** Replication factor of the fleet topics this service creates when they are missing. */
    @WithDefault("1")
    short replicationFactor();
}
