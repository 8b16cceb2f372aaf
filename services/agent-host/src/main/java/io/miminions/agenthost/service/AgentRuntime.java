package io.miminions.agenthost.service;

import io.miminions.agenthost.AgentFactory;
import io.miminions.agenthost.config.KafkaClients;
import io.miminions.agenthost.messaging.Messaging;
import java.time.Duration;

/**
 * The parts of the host every hosted agent runs on.
 *
 * @param snapshots         the saved state of the agents of this host's control partitions
 * @param ownership         which control partitions this host owns: an agent takes assignments only while it owns the agent's
 * @param hostId            this host's id in events
 * @param pollTimeout       how long one poll of an agent's topic waits
 * @param replicationFactor the replication factor of the agent topics this host creates
 * @param messaging         opens each agent's messages to and from other agents
 */
record AgentRuntime(AgentFactory agents, EventPublisher events, KafkaClients kafka, AgentSnapshots snapshots,
        ControlPartitions ownership, String hostId, Duration pollTimeout, short replicationFactor, Messaging messaging) {
}
