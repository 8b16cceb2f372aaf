package io.miminions.agenthost.testagents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.AgentMessage;
import io.miminions.sdk.ResponseTimeoutException;
import io.miminions.sdk.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test agent that does with messages what its task's input says ({@code action}):
 * {@code send} ({@code to}, {@code type}, {@code count}, {@code correlationId}; each message's data is
 * {@code {"seq": i}}), {@code broadcast} ({@code type}), {@code receive} ({@code block}, {@code timeoutMs})
 * or {@code await} ({@code correlationId}, {@code timeoutMs}). The output lists what it sent or got.
 */
public class MessagingAgent extends Agent {

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> execute(Task task) {
        Map<String, Object> input = task.input();
        String type = (String) input.getOrDefault("type", "note");
        Duration timeout = Duration.ofMillis(((Number) input.getOrDefault("timeoutMs", 5_000)).longValue());
        return switch ((String) input.get("action")) {
            case "send" -> {
                List<String> sent = new ArrayList<>();
                int count = ((Number) input.getOrDefault("count", 1)).intValue();
                for (int seq = 0; seq < count; seq++) {
                    sent.add(context().sendMessage((List<String>) input.get("to"), type, Map.of("seq", seq),
                            (String) input.get("correlationId")));
                }
                yield Map.of("sent", sent);
            }
            case "broadcast" -> Map.of("messageId", context().broadcastMessage(type, Map.of("note", "to everyone")));
            case "receive" -> Map.of("received", context().receiveMessages(Boolean.TRUE.equals(input.get("block")), timeout)
                    .stream().map(MessagingAgent::describe).toList());
            case "await" -> {
                try {
                    yield Map.of("response", describe(context().waitForResponse((String) input.get("correlationId"), timeout)));
                } catch (ResponseTimeoutException e) {
                    yield Map.of("timedOut", e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException("unknown action " + input.get("action"));
        };
    }

    private static Map<String, Object> describe(AgentMessage message) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("messageId", message.messageId());
        described.put("senderId", message.senderId());
        described.put("messageType", message.messageType());
        described.put("data", message.data());
        if (message.correlationId() != null) {
            described.put("correlationId", message.correlationId());
        }
        return described;
    }
}
