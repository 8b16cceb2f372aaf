package io.miminions.benchmark.agents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.Map;

/** The benchmark's agent: returns at once, or after {@code input.sleepMs} milliseconds. */
public class BenchmarkAgent extends Agent {

    @Override
    public Map<String, Object> execute(Task task) throws InterruptedException {
        if (task.input().get("sleepMs") instanceof Number sleep) {
            Thread.sleep(sleep.longValue());
        }
        return Map.of();
    }
}
