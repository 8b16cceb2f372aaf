package io.miminions.examples;

import io.miminions.client.AgentLimitException;
import io.miminions.client.MiminionsClient;
import io.miminions.examples.agents.WorkerAgent;
import io.miminions.model.api.FleetLimits;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed example 9, resource limits: tries to start ten agents on a fleet that allows five at once;
 * the sixth and later are refused with "Max concurrent agents reached". The limits are the fleet's
 * configuration ({@code miminions.intake.max-concurrent-agents} and friends), read here through the API.
 *
 * <p>Run it against a fleet started with a limit of five and no agent running, for example
 * {@code ./mvnw -Pdemo -Dmiminions.intake.max-concurrent-agents=5}, then
 * {@code java ... Example09ResourceLimits http://localhost:8081}. It stops the agents it started.
 */
public final class Example09ResourceLimits {

    private Example09ResourceLimits() {
    }

    public static void main(String[] args) {
        URI api = URI.create(args.length > 0 ? args[0] : System.getenv().getOrDefault("MIMINIONS_API", "http://localhost:8081"));
        run(MiminionsClient.connect(api), System.out);
    }

    /** Tries to start ten agents; answers how many started. */
    public static int run(MiminionsClient runtime, PrintStream out) {
        FleetLimits limits = runtime.getLimits();
        out.printf("Limits: %d concurrent agents, %d MiB per agent, %d queued tasks, task timeout %d s, %d messages per inbox%n",
                limits.maxConcurrentAgents(), limits.maxMemoryPerAgentMb(), limits.maxTaskQueueSize(),
                limits.taskTimeoutSeconds(), limits.messageQueueMaxSize());

        // Try to start 10 agents (only as many as the limit allows will run)
        List<String> started = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String agentId = runtime.registerAgent("worker-" + i, WorkerAgent.class);
            try {
                runtime.startAgent(agentId);
                started.add(agentId);
                out.println("Started agent " + i);
            } catch (AgentLimitException e) {
                out.println("Agent " + i + " queued: " + e.getMessage());
            }
        }

        started.forEach(agentId -> runtime.stopAgent(agentId, true));
        return started.size();
    }
}
