package io.miminions.sdk;

import java.util.Map;

/**
 * A task as an agent sees it.
 *
 * @param id       the task id
 * @param name     the task's name
 * @param input    the data to work on
 * @param priority 0 (highest) … 100 (lowest)
 * @param attempt  1 for the first execution, higher when the task runs again after a failure or a lost host
 */
public record Task(String id, String name, Map<String, Object> input, int priority, int attempt) {

    public Task {
        input = input == null ? Map.of() : Map.copyOf(input);
    }
}
