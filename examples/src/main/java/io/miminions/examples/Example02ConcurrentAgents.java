package io.miminions.examples;

import io.miminions.client.MiminionsClient;
import io.miminions.examples.agents.WorkerAgent;
import io.miminions.model.TaskStatus;
import io.miminions.model.api.TaskView;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seed example 2, concurrent multi-agent execution: five {@link WorkerAgent}s share twenty tasks of
 * two seconds each, so the work ends after about four rounds (≈ 8 s, against ≈ 40 s on one agent).
 *
 * <p>Run it against a running fleet whose agent hosts load the example agents (the demo fleet of
 * {@code ./mvnw -Pdemo} does): {@code java ... Example02ConcurrentAgents http://localhost:8081}.
 * Prints {@code Submitted 20 tasks to 5 agents}, {@code Processed 20 tasks successfully} and the makespan.
 */
public final class Example02ConcurrentAgents {

    /**
     * What the example measured.
     *
     * @param processed how many tasks completed with {@code "status": "done"}
     * @param makespan  from the first submission to the last task's end
     */
    public record Result(int submitted, int agents, int processed, Duration makespan) {
    }

    private Example02ConcurrentAgents() {
    }

    public static void main(String[] args) {
        URI api = URI.create(args.length > 0 ? args[0] : System.getenv().getOrDefault("MIMINIONS_API", "http://localhost:8081"));
        run(MiminionsClient.connect(api), Duration.ofSeconds(2), System.out);
    }

    /** Starts five workers, submits twenty tasks of {@code work} each, waits for all of them and prints what happened. */
    public static Result run(MiminionsClient runtime, Duration work, PrintStream out) {
        // Start 5 worker agents
        List<String> agentIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String agentId = runtime.registerAgent("worker-" + i, WorkerAgent.class);
            runtime.startAgent(agentId);
            agentIds.add(agentId);
        }

        // Submit 20 tasks
        Instant began = Instant.now();
        List<String> taskIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            taskIds.add(runtime.submitTask("process-item-" + i, Map.of("item_id", i, "sleepMs", work.toMillis())));
        }
        out.println("Submitted " + taskIds.size() + " tasks to " + agentIds.size() + " agents");

        // Wait for all tasks to complete
        List<Map<String, Object>> results = new ArrayList<>();
        for (String taskId : taskIds) {
            TaskView task = runtime.waitForTask(taskId, Duration.ofSeconds(60));
            if (task.status() == TaskStatus.COMPLETED && "done".equals(task.output().get("status"))) {
                results.add(task.output());
            }
        }
        Duration makespan = Duration.between(began, Instant.now());
        out.println("Processed " + results.size() + " tasks successfully");
        out.printf("Makespan: %.1f s (%d tasks of %.1f s on %d agents; one agent alone would take %.0f s)%n",
                makespan.toMillis() / 1000.0, taskIds.size(), work.toMillis() / 1000.0, agentIds.size(),
                taskIds.size() * work.toMillis() / 1000.0);
        return new Result(taskIds.size(), agentIds.size(), results.size(), makespan);
    }
}
