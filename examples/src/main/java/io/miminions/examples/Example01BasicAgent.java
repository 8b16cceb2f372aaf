package io.miminions.examples;

import io.miminions.client.MiminionsClient;
import io.miminions.model.api.TaskView;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Seed example 1, basic agent execution: a HelloAgent (built into the agent host) greets Alice.
 *
 * <p>Run it against a running fleet: {@code java ... Example01BasicAgent http://localhost:8081}.
 * Prints {@code {greeting=Hello, Alice!}}.
 */
public final class Example01BasicAgent {

    private Example01BasicAgent() {
    }

    public static void main(String[] args) {
        URI api = URI.create(args.length > 0 ? args[0] : System.getenv().getOrDefault("MIMINIONS_API", "http://localhost:8081"));
        System.out.println(run(MiminionsClient.connect(api)));
    }

    /** Registers and starts a HelloAgent, submits one task and answers the task's output. */
    public static Map<String, Object> run(MiminionsClient runtime) {
        String agentId = runtime.registerAgent("hello-agent", "HelloAgent");
        runtime.startAgent(agentId);

        String taskId = runtime.submitTask("greet-user", Map.of("name", "Alice"));

        TaskView task = runtime.waitForTask(taskId, Duration.ofSeconds(10));
        return task.output();
    }
}
