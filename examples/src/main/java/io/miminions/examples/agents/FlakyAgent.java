package io.miminions.examples.agents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.Map;

/**
 * An agent whose tasks fail on purpose (best practice 1: an exception fails that task, not the agent).
 *
 * <p>Input: {@code failAttempts}, how many attempts of the task fail before one succeeds (all of
 * them when absent). A failing attempt throws {@link IllegalStateException}; a succeeding one returns
 * {@code {"attempt": n}}.
 */
public class FlakyAgent extends Agent {

    @Override
    public Map<String, Object> execute(Task task) {
        int failAttempts = ((Number) task.input().getOrDefault("failAttempts", Integer.MAX_VALUE)).intValue();
        if (task.attempt() <= failAttempts) {
            throw new IllegalStateException("attempt " + task.attempt() + " of " + task.name() + " failed on purpose");
        }
        return Map.of("attempt", task.attempt());
    }
}
