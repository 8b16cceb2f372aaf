package io.miminions.sdk;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message between agents, as the receiving agent sees it and as it travels in the recipient's
 * inbox (partition 1 of its topic {@code miminions.agent.<recipientId>}, key: the sender's id).
 *
 * @param messageId     unique per message; a broadcast keeps one id for all its copies. Recipients
 *                      never see the same id twice
 * @param senderId      the agent that sent it
 * @param recipientIds  the agents it was sent to; empty for a broadcast (every other running or paused agent)
 * @param messageType   what the sender says it is, for example {@code query}, {@code response} or {@code alert}
 * @param data          the content; plain JSON values (strings, numbers, booleans, lists, maps)
 * @param correlationId ties a response to its request ({@link AgentContext#waitForResponse}); may be null
 * @param sentAt        when the sender's host wrote it
 */
public record AgentMessage(
        String messageId,
        String senderId,
        List<String> recipientIds,
        String messageType,
        Map<String, Object> data,
        String correlationId,
        Instant sentAt) {

    public AgentMessage {
        recipientIds = recipientIds == null ? List.of() : List.copyOf(recipientIds);
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }
}
