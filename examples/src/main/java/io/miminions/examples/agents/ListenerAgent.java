package io.miminions.examples.agents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.AgentMessage;
import io.miminions.sdk.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The seed's listener (example 6): waits for messages and reports the {@code alert}s among them.
 *
 * <p>Input: {@code listenSeconds}, how long to wait for the first message (30 when absent). Output:
 * {@code {"alerts_received": n, "alerts": [data of each alert]}}.
 */
public class ListenerAgent extends Agent {

    @Override
    public Map<String, Object> execute(Task task) {
        Duration listen = Duration.ofSeconds(((Number) task.input().getOrDefault("listenSeconds", 30)).longValue());
        List<Map<String, Object>> alerts = context().receiveMessages(true, listen).stream()
                .filter(message -> "alert".equals(message.messageType()))
                .map(AgentMessage::data)
                .toList();
        return Map.of("alerts_received", alerts.size(), "alerts", alerts);
    }
}
