package io.miminions.examples;

import io.miminions.client.MiminionsClient;
import io.miminions.client.TaskOptions;
import io.miminions.examples.agents.WorkerAgent;
import io.miminions.model.AgentStatus;
import io.miminions.model.api.AgentView;
import io.miminions.model.api.TaskView;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Seed example 4, agent lifecycle: start a worker, give it a long task, pause it while the task
 * runs, resume it, wait for the task, stop the worker gracefully.
 *
 * <p>A pause takes effect between tasks: the running task is not interrupted, and the agent takes
 * no new task until it is resumed (here the resume comes first, so no {@code onPause} is needed).
 * Run it against a running fleet whose agent hosts load the example agents ({@code ./mvnw -Pdemo}):
 * {@code java ... Example04AgentLifecycle http://localhost:8081}. Prints {@code Agent status: running},
 * {@code Agent paused}, {@code Agent resumed} and {@code Agent stopped}.
 */
public final class Example04AgentLifecycle {

    /** What the example saw: the long task as it ended, and the agent once stopped. */
    public record Result(TaskView task, AgentView stopped) {
    }

    private Example04AgentLifecycle() {
    }

    public static void main(String[] args) throws InterruptedException {
        URI api = URI.create(args.length > 0 ? args[0] : System.getenv().getOrDefault("MIMINIONS_API", "http://localhost:8081"));
        run(MiminionsClient.connect(api), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(10), System.out);
    }

    /** Runs a task of {@code work}, pausing the agent after {@code beforePause} for {@code paused}. */
    public static Result run(MiminionsClient runtime, Duration work, Duration beforePause, Duration paused, PrintStream out)
            throws InterruptedException {
        // Register and start the agent
        String agentId = runtime.registerAgent("worker", WorkerAgent.class);
        AgentView agent = runtime.startAgent(agentId);
        out.println("Agent status: " + agent.status().name().toLowerCase());

        // Submit a long-running task for it
        String taskId = runtime.submitTask("long-task", Map.of("sleepMs", work.toMillis()),
                TaskOptions.builder().agentId(agentId).build());

        // Wait a bit, then pause the agent
        Thread.sleep(beforePause);
        runtime.pauseAgent(agentId);
        out.println("Agent paused");

        // Resume after some time
        Thread.sleep(paused);
        runtime.resumeAgent(agentId);
        out.println("Agent resumed");

        // Wait for the task, then stop the agent gracefully
        TaskView task = runtime.waitForTask(taskId, work.plusSeconds(60));
        AgentView stopped = runtime.stopAgent(agentId, true);
        if (stopped.status() == AgentStatus.STOPPED) {
            out.println("Agent stopped");
        }
        return new Result(task, stopped);
    }
}
