package io.miminions.agenthost.agents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.Map;

/** The built-in greeter: {@code {"greeting": "Hello, <input.name>!"}}, "World" when no name is given. */
public class HelloAgent extends Agent {

    @Override
    public Map<String, Object> execute(Task task) {
        return Map.of("greeting", "Hello, " + task.input().getOrDefault("name", "World") + "!");
    }
}
