package io.miminions.examples;

import io.miminions.client.MiminionsClient;
import io.miminions.client.TaskOptions;
import io.miminions.examples.agents.StatefulAgent;
import io.miminions.model.AgentStatus;
import io.miminions.model.api.TaskView;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Seed example 8, a stateful agent across pause and resume: a {@link StatefulAgent} processes three
 * batches of ten items, is paused (its host saves the counts {@code onPause} returns) and resumed
 * ({@code onResume} gets them back), then processes five more.
 *
 * <p>Run it against a running fleet whose agent hosts load the example agents ({@code ./mvnw -Pdemo}):
 * {@code java ... Example08StatefulAgent http://localhost:8081}. Prints
 * {@code Agent paused with state saved}, {@code Agent resumed with state restored} and
 * {@code Total processed: 35}.
 */
public final class Example08StatefulAgent {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private Example08StatefulAgent() {
    }

    public static void main(String[] args) {
        URI api = URI.create(args.length > 0 ? args[0] : System.getenv().getOrDefault("MIMINIONS_API", "http://localhost:8081"));
        run(MiminionsClient.connect(api), System.out);
    }

    /** Runs the example; answers the total count the last task reported. */
    public static long run(MiminionsClient runtime, PrintStream out) {
        String agentId = runtime.registerAgent("stateful-agent", StatefulAgent.class);
        runtime.startAgent(agentId);
        TaskOptions forIt = TaskOptions.builder().agentId(agentId).build();

        // Submit 3 tasks
        for (int i = 0; i < 3; i++) {
            String taskId = runtime.submitTask("process-batch-" + i, Map.of("items", items(10)), forIt);
            runtime.waitForTask(taskId, WAIT);
        }

        // Pause the agent: once its host has saved the state, the status is PAUSED
        runtime.pauseAgent(agentId);
        runtime.awaitAgentStatus(agentId, WAIT, AgentStatus.PAUSED);
        out.println("Agent paused with state saved");

        // Resume the agent
        runtime.resumeAgent(agentId);
        runtime.awaitAgentStatus(agentId, WAIT, AgentStatus.RUNNING);
        out.println("Agent resumed with state restored");

        // Submit another task: it continues from the saved count
        String taskId = runtime.submitTask("process-batch-3", Map.of("items", items(5)), forIt);
        TaskView task = runtime.waitForTask(taskId, WAIT);
        long total = ((Number) task.output().get("total_count")).longValue();
        out.println("Total processed: " + total);

        runtime.stopAgent(agentId, true);
        return total;
    }

    private static List<Integer> items(int count) {
        return IntStream.range(0, count).boxed().toList();
    }
}
