package io.miminions.examples.agents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.AgentMessage;
import io.miminions.sdk.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends and collects numbered messages, to see messaging at work between any two agents of a fleet.
 *
 * <p>Input {@code "action": "send"}: sends {@code count} messages (1 when absent) of type
 * {@code type} ({@code note}) to the agents {@code to}, each with data {@code {"seq": i}}; output
 * {@code {"sent": [message ids]}}. A refused send fails the task with the reason.
 * Input {@code "action": "collect"}: receives until {@code count} messages came or {@code timeoutSeconds}
 * (30) passed; output {@code {"received": [{"messageId", "senderId", "seq"}, …]}} in the order received.
 */
public class MessengerAgent extends Agent {

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> execute(Task task) {
        int count = ((Number) task.input().getOrDefault("count", 1)).intValue();
        return switch (String.valueOf(task.input().get("action"))) {
            case "send" -> send((List<String>) task.input().get("to"), (String) task.input().getOrDefault("type", "note"), count);
            case "collect" -> collect(count, Duration.ofSeconds(((Number) task.input().getOrDefault("timeoutSeconds", 30)).longValue()));
            default -> throw new IllegalArgumentException("action must be send or collect, was " + task.input().get("action"));
        };
    }

    private Map<String, Object> send(List<String> to, String type, int count) {
        List<String> sent = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            sent.add(context().sendMessage(to, type, Map.of("seq", seq), null));
        }
        return Map.of("sent", sent);
    }

    private Map<String, Object> collect(int count, Duration timeout) {
        List<Map<String, Object>> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline && !context().isStopping()) {
            for (AgentMessage message : context().receiveMessages(true, Duration.ofNanos(deadline - System.nanoTime()))) {
                received.add(Map.of("messageId", message.messageId(), "senderId", message.senderId(),
                        "seq", message.data().getOrDefault("seq", -1)));
            }
        }
        return Map.of("received", received);
    }
}
