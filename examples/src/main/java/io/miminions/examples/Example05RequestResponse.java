package io.miminions.examples;

import io.miminions.client.MiminionsClient;
import io.miminions.client.TaskOptions;
import io.miminions.examples.agents.HelperAgent;
import io.miminions.examples.agents.QueryAgent;
import io.miminions.model.api.TaskView;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Seed example 5, inter-agent communication: a {@link QueryAgent} asks a {@link HelperAgent} "What is
 * 2+2?" and waits for the response with the same correlation id; the helper parses the arithmetic
 * (never running message text as code) and answers.
 *
 * <p>The query agent learns the helper's id from its configuration ({@code helperId}), so the helper
 * is registered first. Each task is bound to its agent, since a fleet may run other agents. No pause
 * is needed between the two tasks: a message waits in the helper's inbox until it reads it.
 * Run it against a running fleet whose agent hosts load the example agents ({@code ./mvnw -Pdemo}):
 * {@code java ... Example05RequestResponse http://localhost:8081}. Prints {@code Query result: {answer=4}}.
 */
public final class Example05RequestResponse {

    /** The two tasks as they ended. */
    public record Result(TaskView query, TaskView helper) {
    }

    private Example05RequestResponse() {
    }

    public static void main(String[] args) {
        URI api = URI.create(args.length > 0 ? args[0] : System.getenv().getOrDefault("MIMINIONS_API", "http://localhost:8081"));
        MiminionsClient runtime = MiminionsClient.connect(api);
        String helperId = startHelper(runtime);
        run(runtime, startQueryAgent(runtime, helperId), helperId, System.out);
    }

    /** Registers and starts a helper agent; answers its id. */
    public static String startHelper(MiminionsClient runtime) {
        String helperId = runtime.registerAgent("helper-agent", HelperAgent.class);
        runtime.startAgent(helperId);
        return helperId;
    }

    /** Registers and starts a query agent that asks the given helper; answers its id. */
    public static String startQueryAgent(MiminionsClient runtime, String helperId) {
        String queryId = runtime.registerAgent("query-agent", QueryAgent.class.getName(), Map.of("helperId", helperId));
        runtime.startAgent(queryId);
        return queryId;
    }

    /** Has the helper listen and the query agent ask; prints and answers what their tasks returned. */
    public static Result run(MiminionsClient runtime, String queryAgentId, String helperAgentId, PrintStream out) {
        // The helper listens for queries, the query agent asks one
        String helperTaskId = runtime.submitTask("helper-listen", Map.of(), TaskOptions.builder().agentId(helperAgentId).build());
        String queryTaskId = runtime.submitTask("query-task", Map.of("question", "What is 2+2?"),
                TaskOptions.builder().agentId(queryAgentId).build());

        // Wait for the query to complete
        TaskView query = runtime.waitForTask(queryTaskId, Duration.ofSeconds(60));
        out.println("Query result: " + query.output());
        TaskView helper = runtime.waitForTask(helperTaskId, Duration.ofSeconds(60));
        return new Result(query, helper);
    }
}
