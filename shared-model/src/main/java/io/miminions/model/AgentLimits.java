package io.miminions.model;

/**
 * What one agent may use while it runs; carried by every {@link AgentCommand}, enforced by the host.
 *
 * @param maxMemoryMb the most heap the agent may hold, in MiB; 0 for no limit
 */
public record AgentLimits(int maxMemoryMb) {

    /** No limit. */
    public static final AgentLimits NONE = new AgentLimits(0);
}
