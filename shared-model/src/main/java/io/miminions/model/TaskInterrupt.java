package io.miminions.model;

import java.time.Instant;

/**
 * The scheduler's order to stop executing one attempt of a task: the value on
 * {@link Topics#TASK_INTERRUPTS}, key {@link #taskId()}. The host running the attempt interrupts its
 * thread and sets {@code context.isStopping()}; a host that has not started it yet skips it.
 */
public record TaskInterrupt(String taskId, int attempt, String agentId, TaskReason reason, Instant issuedAt) {
}
