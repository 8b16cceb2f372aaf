package io.miminions.agenthost.messaging;

import io.miminions.agenthost.config.AgentHostConfig;
import io.miminions.agenthost.config.KafkaClients;
import io.miminions.agenthost.service.EventPublisher;
import io.miminions.agenthost.service.HostedAgent;
import io.miminions.model.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;

/** Opens the messaging of each agent this host runs: its sends through the host's sender, its own inbox. */
@ApplicationScoped
public class Messaging {

    private final MessageSender sender;
    private final KafkaClients kafka;
    private final EventPublisher events;
    private final Duration pollTimeout;
    private final Duration inboxFetchMaxWait;

    public Messaging(MessageSender sender, KafkaClients kafka, EventPublisher events, AgentHostConfig config) {
        this.sender = sender;
        this.kafka = kafka;
        this.events = events;
        this.pollTimeout = config.pollTimeout();
        this.inboxFetchMaxWait = config.inboxFetchMaxWait();
    }

    /** The messaging of one agent; close it when the agent ends here. */
    public AgentMessaging open(String agentId) {
        AgentInbox inbox = new AgentInbox(agentId, new TopicPartition(Topics.agentTopic(agentId), Topics.AGENT_INBOX_PARTITION),
                () -> kafka.newConsumer(HostedAgent.OFFSETS_GROUP_ID,
                        Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) inboxFetchMaxWait.toMillis())),
                message -> events.publish(MessageEvents.delivered(agentId, message)), pollTimeout);
        return new AgentMessaging(agentId, sender, inbox);
    }
}
