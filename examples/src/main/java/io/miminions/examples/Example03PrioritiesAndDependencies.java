package io.miminions.examples;

import io.miminions.client.MiminionsClient;
import io.miminions.client.TaskOptions;
import io.miminions.examples.agents.WorkerAgent;
import io.miminions.model.api.TaskView;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Seed example 3, task priorities and dependencies: a chain A → B → C (download, process, upload)
 * and an independent low-priority D (cleanup), on one {@link WorkerAgent}. A runs first; B waits for
 * A and C for B; D runs when the agent is free and nothing more urgent is ready.
 *
 * <p>Run it against a running fleet whose agent hosts load the example agents (the demo fleet of
 * {@code ./mvnw -Pdemo} does): {@code java ... Example03PrioritiesAndDependencies http://localhost:8081}.
 * Prints the order in which the tasks started, for example
 * {@code Execution order: download-data → process-data → upload-results → cleanup}.
 */
public final class Example03PrioritiesAndDependencies {

    private Example03PrioritiesAndDependencies() {
    }

    public static void main(String[] args) {
        URI api = URI.create(args.length > 0 ? args[0] : System.getenv().getOrDefault("MIMINIONS_API", "http://localhost:8081"));
        run(MiminionsClient.connect(api), Duration.ofSeconds(2), System.out);
    }

    /** Runs the four tasks, each taking {@code work}; answers them in the order they started, and prints that order. */
    public static List<TaskView> run(MiminionsClient runtime, Duration work, PrintStream out) {
        // Start agent
        String agentId = runtime.registerAgent("worker", WorkerAgent.class);
        runtime.startAgent(agentId);
        Map<String, Object> input = Map.of("sleepMs", work.toMillis());

        // Task A: High priority, no dependencies
        String taskA = runtime.submitTask("download-data", withUrl(input), TaskOptions.builder()
                .priority(0) // High priority (0 = highest)
                .build());

        // Task B: Depends on Task A
        String taskB = runtime.submitTask("process-data", input, TaskOptions.builder()
                .priority(50) // Medium priority
                .dependsOn(taskA) // Wait for Task A
                .build());

        // Task C: Depends on Task B
        String taskC = runtime.submitTask("upload-results", input, TaskOptions.builder()
                .priority(50)
                .dependsOn(taskB) // Wait for Task B
                .build());

        // Task D: Low priority, independent
        String taskD = runtime.submitTask("cleanup", input, TaskOptions.builder()
                .priority(100) // Low priority (100 = lowest)
                .build());

        // Execution order: A → B → C, with D executed when agent available
        runtime.waitForTask(taskC, Duration.ofSeconds(60)); // Wait for entire chain
        runtime.waitForTask(taskD, Duration.ofSeconds(60));
        List<TaskView> started = List.of(taskA, taskB, taskC, taskD).stream()
                .map(runtime::getTask)
                .sorted(Comparator.comparing(TaskView::startedAt, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
        out.println("Execution order: " + started.stream().map(TaskView::name).collect(Collectors.joining(" → ")));
        return started;
    }

    private static Map<String, Object> withUrl(Map<String, Object> input) {
        Map<String, Object> download = new HashMap<>(input);
        download.put("url", "...");
        return download;
    }
}
