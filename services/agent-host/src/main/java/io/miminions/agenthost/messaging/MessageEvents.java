package io.miminions.agenthost.messaging;

import io.miminions.agenthost.HostEvents;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.sdk.AgentMessage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The events of messaging, each carrying the message's correlation id when it has one. */
final class MessageEvents {

    private MessageEvents() {
    }

    /** The message is in the inboxes of these recipients; recorded for the sender. */
    static Event sent(AgentMessage message, List<String> recipients) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messageId", message.messageId());
        data.put("recipients", recipients);
        data.put("messageType", message.messageType());
        data.put("broadcast", message.recipientIds().isEmpty());
        if (message.correlationId() != null) {
            data.put("correlationId", message.correlationId());
        }
        return event(EventType.MESSAGE_SENT, message.senderId(), message, data);
    }

    /** The message was handed to the recipient agent; recorded for the recipient. */
    static Event delivered(String recipientId, AgentMessage message) {
        return event(EventType.MESSAGE_DELIVERED, recipientId, message, Map.of("messageId", message.messageId(),
                "sender", message.senderId(), "messageType", message.messageType()));
    }

    /** The message was refused for one recipient, for this reason; recorded for the sender. */
    static Event rejected(AgentMessage message, String recipientId, String reason) {
        return event(EventType.MESSAGE_REJECTED, message.senderId(), message, Map.of("messageId", message.messageId(),
                "recipient", recipientId, "messageType", message.messageType(), "reason", reason));
    }

    private static Event event(EventType type, String agentId, AgentMessage message, Map<String, Object> data) {
        return new Event(UUID.randomUUID().toString(), type, type.defaultSeverity(), Instant.now(), HostEvents.SOURCE, agentId,
                null, message.correlationId(), data);
    }
}
