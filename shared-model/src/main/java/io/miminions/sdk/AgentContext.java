package io.miminions.sdk;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the runtime gives an agent: who it is, its configuration, a logger, whether it should stop,
 * and messages to and from other agents.
 *
 * <p>Messages go to agents that are RUNNING or PAUSED; each waits in the recipient's inbox until
 * the recipient reads it with {@link #receiveMessages} or {@link #waitForResponse} while running a
 * task (a paused agent reads its messages once resumed). Messages from one sender to one recipient
 * arrive in the order they were sent, each once.
 *
 * <pre>{@code
 * String correlationId = UUID.randomUUID().toString();
 * context().sendMessage(List.of(helperId), "query", Map.of("question", "What is 2+2?"), correlationId);
 * AgentMessage answer = context().waitForResponse(correlationId, Duration.ofSeconds(30));
 * }</pre>
 */
public interface AgentContext {

    /** The id the fleet gave the agent at registration. */
    String agentId();

    /** The name the agent was registered with. */
    String agentName();

    /** The configuration map the agent was registered with; empty when none was given. */
    Map<String, Object> config();

    /** A logger that tags each line with this agent and the task it is running. */
    AgentLogger logger();

    /**
     * True once the agent has been asked to stop, or its current task was cancelled or timed out.
     * Long-running work should check it and return early.
     */
    boolean isStopping();

    /**
     * Sends a message to each of the recipients and returns its id once it is stored in their inboxes.
     *
     * @param correlationId ties a response to its request; null when none
     * @throws MessageRejectedException at once, with nothing sent, when a recipient is unknown, not
     *                                  RUNNING or PAUSED, or has {@code messageQueueMaxSize} unread messages
     */
    String sendMessage(List<String> recipientIds, String messageType, Map<String, Object> data, String correlationId);

    /**
     * Sends one message to every other RUNNING or PAUSED agent of the fleet and returns its id. A
     * recipient whose inbox is full is skipped, and the skip recorded as a MESSAGE_REJECTED event.
     */
    String broadcastMessage(String messageType, Map<String, Object> data);

    /**
     * The messages in this agent's inbox, oldest first, each handed out once. Without {@code block},
     * the messages waiting now (possibly none); with it, waits up to {@code timeout} for at least one.
     */
    List<AgentMessage> receiveMessages(boolean block, Duration timeout);

    /** The messages waiting in this agent's inbox now, without waiting for more. */
    default List<AgentMessage> receiveMessages() {
        return receiveMessages(false, Duration.ZERO);
    }

    /**
     * Waits for the message with this correlation id. Other messages read meanwhile stay in the
     * inbox, in order, for the next {@link #receiveMessages}.
     *
     * @throws ResponseTimeoutException when none arrived within {@code timeout}
     */
    AgentMessage waitForResponse(String correlationId, Duration timeout);
}
