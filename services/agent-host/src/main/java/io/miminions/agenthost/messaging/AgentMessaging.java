package io.miminions.agenthost.messaging;

import io.miminions.sdk.AgentMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Messaging as one hosted agent sees it: what its {@code AgentContext} delegates to. Sends go through
 * the host's {@link MessageSender} under the agent's id; receives come from the agent's own
 * {@link AgentInbox}. Closed when the agent ends on this host.
 */
public final class AgentMessaging implements AutoCloseable {

    private final String agentId;
    private final MessageSender sender;
    private final AgentInbox inbox;

    AgentMessaging(String agentId, MessageSender sender, AgentInbox inbox) {
        this.agentId = agentId;
        this.sender = sender;
        this.inbox = inbox;
    }

    public String sendMessage(List<String> recipientIds, String messageType, Map<String, Object> data, String correlationId) {
        return sender.send(agentId, recipientIds, messageType, data, correlationId);
    }

    public String broadcastMessage(String messageType, Map<String, Object> data) {
        return sender.broadcast(agentId, messageType, data);
    }

    public List<AgentMessage> receiveMessages(boolean block, Duration timeout) {
        return inbox.receive(block, timeout);
    }

    public AgentMessage waitForResponse(String correlationId, Duration timeout) {
        return inbox.awaitResponse(correlationId, timeout);
    }

    @Override
    public void close() {
        inbox.close();
    }
}
