package io.miminions.model.api;

/**
 * The fleet's resource limits (the seed's {@code ResourceLimit}), from task-intake's configuration.
 *
 * @param maxConcurrentAgents  the most agents started (running or paused) at once, fleet-wide
 * @param maxMemoryPerAgentMb  the most heap one agent may hold, in MiB; an agent over it is stopped as FAILED
 * @param maxTaskQueueSize     the most unfinished tasks; one more is rejected as queue full
 * @param taskTimeoutSeconds   the timeout of a task submitted without one
 * @param messageQueueMaxSize  the most unread messages one agent's inbox holds; a message more is refused to its sender
 */
public record FleetLimits(int maxConcurrentAgents, int maxMemoryPerAgentMb, int maxTaskQueueSize, int taskTimeoutSeconds,
        int messageQueueMaxSize) {
}
