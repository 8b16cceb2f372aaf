package io.miminions.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A task the fleet has accepted: the value on {@link Topics#TASKS}, key {@link #taskId()},
 * partition {@link Priorities#partitionOf(int) partitionOf(priority)}.
 */
public record AcceptedTask(
        String taskId,
        String name,
        Map<String, Object> input,
        int priority,
        List<String> dependencies,
        int timeoutSeconds,
        String agentId,
        Instant submittedAt) {

    public AcceptedTask {
        input = input == null ? Map.of() : input;
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    }
}
