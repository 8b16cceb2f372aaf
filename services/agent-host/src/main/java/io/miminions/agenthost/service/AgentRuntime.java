package io.miminions.agenthost.service;

import io.miminions.agenthost.AgentFactory;
import io.miminions.agenthost.config.KafkaClients;
import java.time.Duration;

/**
 * The parts of the host every hosted agent runs on.
 *
 * @param hostId            this host's id in events
 * @param pollTimeout       how long one poll of an agent's topic waits
 * @param replicationFactor the replication factor of the agent topics this host creates
 */
record AgentRuntime(AgentFactory agents, EventPublisher events, KafkaClients kafka, String hostId,
        Duration pollTimeout, short replicationFactor) {
}
