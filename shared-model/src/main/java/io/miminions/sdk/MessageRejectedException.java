package io.miminions.sdk;

/**
 * A message was not sent: a recipient is unknown, not running or paused, or its inbox is full.
 * Thrown at once by {@link AgentContext#sendMessage}; nothing of the message was written then.
 */
public class MessageRejectedException extends RuntimeException {

    private final String recipientId;
    private final String reason;

    public MessageRejectedException(String recipientId, String reason) {
        super("cannot send to agent " + recipientId + ": " + reason);
        this.recipientId = recipientId;
        this.reason = reason;
    }

    /** The recipient that refused the message. */
    public String recipientId() {
        return recipientId;
    }

    /** Why, without the recipient's id. */
    public String reason() {
        return reason;
    }
}
