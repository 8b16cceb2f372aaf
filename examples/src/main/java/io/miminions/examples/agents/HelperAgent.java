package io.miminions.examples.agents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.AgentMessage;
import io.miminions.sdk.Task;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seed's helper (example 5): answers {@code query} messages such as {@code "What is 2+2?"} with a
 * {@code response} carrying {@code {"answer": 4}} and the query's correlation id. The arithmetic is
 * parsed by {@link ArithmeticExpression}: unlike the seed's {@code eval}, message text is never run
 * as code; a question it cannot parse gets {@code {"error": …}}.
 *
 * <p>Input: {@code listenSeconds}, how long to wait for the first query (30 when absent), since the
 * helper's task may start before the query is sent. Output: {@code {"queries_processed": n}}.
 */
public class HelperAgent extends Agent {

    @Override
    public Map<String, Object> execute(Task task) {
        Duration listen = Duration.ofSeconds(((Number) task.input().getOrDefault("listenSeconds", 30)).longValue());
        int answered = 0;
        for (AgentMessage message : context().receiveMessages(true, listen)) {
            if ("query".equals(message.messageType())) {
                context().sendMessage(List.of(message.senderId()), "response", answer(message.data().get("question")),
                        message.correlationId());
                answered++;
            }
        }
        return Map.of("queries_processed", answered);
    }

    /** {@code {"answer": value}} for "What is &lt;arithmetic&gt;?", else {@code {"error": why}}. */
    static Map<String, Object> answer(Object question) {
        String text = String.valueOf(question).strip();
        if (text.toLowerCase(Locale.ROOT).startsWith("what is ")) {
            text = text.substring("what is ".length());
        }
        if (text.endsWith("?")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            return Map.of("answer", ArithmeticExpression.evaluate(text));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return Map.of("error", "cannot answer: " + e.getMessage());
        }
    }
}
