package io.miminions.examples.agents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.AgentMessage;
import io.miminions.sdk.ResponseTimeoutException;
import io.miminions.sdk.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The seed's query agent (example 5): asks the helper named by its configuration ({@code helperId})
 * a question and waits for the response with the same correlation id.
 *
 * <p>Input: {@code question} ({@code "What is 2+2?"} when absent) and {@code timeoutSeconds}, how long
 * to wait for the response (30 when absent). Output: the response's data, such as {@code {"answer": 4}},
 * or {@code {"error": "No response"}} when none came in time.
 */
public class QueryAgent extends Agent {

    @Override
    public Map<String, Object> execute(Task task) {
        Object helperId = context().config().get("helperId");
        if (!(helperId instanceof String helper)) {
            throw new IllegalStateException("the query agent needs the helper's agent id in its configuration, key helperId");
        }
        String question = (String) task.input().getOrDefault("question", "What is 2+2?");
        Duration timeout = Duration.ofSeconds(((Number) task.input().getOrDefault("timeoutSeconds", 30)).longValue());
        String correlationId = UUID.randomUUID().toString();

        // Send the query to the helper agent
        context().sendMessage(List.of(helper), "query", Map.of("question", question), correlationId);

        // Wait for the response
        try {
            AgentMessage response = context().waitForResponse(correlationId, timeout);
            return response.data();
        } catch (ResponseTimeoutException e) {
            return Map.of("error", "No response");
        }
    }
}
