package io.miminions.agenthost.testagents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.Map;

/** A test agent that fails the tasks whose input says {@code "fail": true} and echoes the input of the others. */
public class FlakyAgent extends Agent {

    @Override
    public Map<String, Object> execute(Task task) {
        if (Boolean.TRUE.equals(task.input().get("fail"))) {
            throw new IllegalStateException("asked to fail");
        }
        context().logger().info("echoing task " + task.id());
        return Map.of("echo", task.input());
    }
}
