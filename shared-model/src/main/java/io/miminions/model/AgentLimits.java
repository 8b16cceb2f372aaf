package io.miminions.model;

/**
 * What one agent may use while it runs; carried by every {@link AgentCommand}, enforced by the hosts.
 *
 * @param maxMemoryMb         the most heap the agent may hold, in MiB; 0 for no limit
 * @param messageQueueMaxSize the most unread messages its inbox holds; a message more is refused to
 *                            its sender. 0 for no limit
 */
public record AgentLimits(int maxMemoryMb, int messageQueueMaxSize) {

    /** No limit. */
    public static final AgentLimits NONE = new AgentLimits(0, 0);
}
