package io.miminions.agenthost.messaging;

import io.miminions.agenthost.config.FleetKafkaConfig;
import io.miminions.agenthost.config.KafkaClients;
import io.miminions.agenthost.service.EventPublisher;
import io.miminions.model.FleetTopics;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import io.miminions.sdk.AgentMessage;
import io.miminions.sdk.MessageRejectedException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Sends messages for the agents of this host. A send first lets the {@link AgentDirectory} read the
 * lifecycle commands written before it, refuses at once when a recipient is not RUNNING or PAUSED or
 * its inbox is full ({@link InboxBacklog}), then writes the message to each recipient's inbox
 * partition (key: the sender, so one sender's messages to one recipient keep their order) and
 * returns once Kafka has them all. Every outcome is an event: MESSAGE_SENT or MESSAGE_REJECTED.
 */
@ApplicationScoped
public class MessageSender {

    /** How long a send waits for the directory to read the lifecycle commands written before it. */
    static final Duration CATCH_UP = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(MessageSender.class);

    private final AgentDirectory directory;
    private final ControlTopicReader control;
    private final InboxBacklog backlog;
    private final KafkaClients kafka;
    private final EventPublisher events;
    private final short replicationFactor;
    private final KafkaProducer<String, String> producer;
    /** The recipients whose topic this host made sure of. */
    private final Set<String> ensuredTopics = ConcurrentHashMap.newKeySet();

    public MessageSender(AgentDirectory directory, ControlTopicReader control, InboxBacklog backlog, KafkaClients kafka,
            EventPublisher events, FleetKafkaConfig fleet) {
        this.directory = directory;
        this.control = control;
        this.backlog = backlog;
        this.kafka = kafka;
        this.events = events;
        this.replicationFactor = fleet.replicationFactor();
        this.producer = kafka.newProducer();
    }

    /**
     * Sends one message from {@code senderId} to every recipient, or to none.
     *
     * @return the message id
     * @throws MessageRejectedException when a recipient is not RUNNING or PAUSED, or its inbox is full
     */
    public String send(String senderId, List<String> recipientIds, String messageType, Map<String, Object> data,
            String correlationId) {
        if (recipientIds == null || recipientIds.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one recipient");
        }
        List<String> recipients = recipientIds.stream().distinct().toList();
        AgentMessage message = newMessage(senderId, recipients, messageType, data, correlationId);
        catchUp();
        for (String recipient : recipients) {
            Optional<String> unreachable = unreachable(recipient);
            if (unreachable.isPresent()) {
                throw rejected(message, recipient, unreachable.get());
            }
        }
        ensureTopics(recipients);
        Map<String, String> full = backlog.full(recipients);
        if (!full.isEmpty()) {
            Map.Entry<String, String> first = full.entrySet().iterator().next();
            throw rejected(message, first.getKey(), first.getValue());
        }
        write(message, recipients, false);
        return message.messageId();
    }

    /**
     * Sends one message from {@code senderId} to every other RUNNING or PAUSED agent, and records it
     * on {@link Topics#BROADCAST}. A recipient whose inbox is full is skipped, with a MESSAGE_REJECTED
     * event: one full inbox does not silence the others.
     *
     * @return the message id, the same in every copy
     */
    public String broadcast(String senderId, String messageType, Map<String, Object> data) {
        AgentMessage message = newMessage(senderId, List.of(), messageType, data, null);
        catchUp();
        List<String> reachable = directory.reachable().stream().filter(agentId -> !agentId.equals(senderId)).toList();
        ensureTopics(reachable);
        Map<String, String> full = backlog.full(reachable);
        full.forEach((recipient, reason) -> recordRejection(message, recipient, reason));
        write(message, reachable.stream().filter(agentId -> !full.containsKey(agentId)).toList(), true);
        return message.messageId();
    }

    private static AgentMessage newMessage(String senderId, List<String> recipients, String messageType,
            Map<String, Object> data, String correlationId) {
        if (messageType == null || messageType.isBlank()) {
            throw new IllegalArgumentException("a message needs a message type");
        }
        return new AgentMessage(UUID.randomUUID().toString(), senderId, recipients, messageType, data, correlationId,
                Instant.now());
    }

    private void catchUp() {
        if (!control.catchUp(CATCH_UP)) {
            LOG.warnf("the agent directory has not read the latest lifecycle commands within %s; checking against what it has",
                    CATCH_UP);
        }
    }

    /** Why the agent cannot receive messages now; empty when it can. */
    private Optional<String> unreachable(String recipientId) {
        Optional<AgentDirectory.Entry> entry = directory.lookup(recipientId);
        if (entry.isEmpty()) {
            return Optional.of("no such agent is running or paused (it was never started, or it was deregistered)");
        }
        return entry.get().reachable() ? Optional.empty()
                : Optional.of("it is " + entry.get().status() + "; messages go to RUNNING or PAUSED agents only");
    }

    /** Records the rejection and answers the exception that tells the sender. */
    private MessageRejectedException rejected(AgentMessage message, String recipientId, String reason) {
        recordRejection(message, recipientId, reason);
        return new MessageRejectedException(recipientId, reason);
    }

    private void recordRejection(AgentMessage message, String recipientId, String reason) {
        LOG.infof("agent %s: message %s refused for agent %s: %s", message.senderId(), message.messageId(), recipientId, reason);
        events.publish(MessageEvents.rejected(message, recipientId, reason));
    }

    private void ensureTopics(List<String> recipients) {
        List<String> unknown = recipients.stream().filter(agentId -> !ensuredTopics.contains(agentId)).toList();
        if (!unknown.isEmpty()) {
            kafka.ensureTopics(unknown.stream().map(agentId -> FleetTopics.agentTopic(agentId, replicationFactor)).toList());
            ensuredTopics.addAll(unknown);
        }
    }

    /** Writes a copy to each recipient's inbox (and a broadcast's record), waits until Kafka has them all, records MESSAGE_SENT. */
    private void write(AgentMessage message, List<String> recipients, boolean broadcast) {
        String value = Json.write(message);
        List<Future<RecordMetadata>> acknowledgements = new ArrayList<>();
        for (String recipient : recipients) {
            acknowledgements.add(producer.send(record(Topics.agentTopic(recipient), Topics.AGENT_INBOX_PARTITION, message, value)));
        }
        if (broadcast) {
            acknowledgements.add(producer.send(record(Topics.BROADCAST, null, message, value)));
        }
        try {
            for (Future<RecordMetadata> acknowledgement : acknowledgements) {
                acknowledgement.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("message " + message.messageId() + " was not stored: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending message " + message.messageId(), e);
        }
        events.publish(MessageEvents.sent(message, recipients));
    }

    private static ProducerRecord<String, String> record(String topic, Integer partition, AgentMessage message, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, partition, message.senderId(), value);
        record.headers().add(Topics.ID_HEADER, message.messageId().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
