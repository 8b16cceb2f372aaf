package io.miminions.benchmark.agents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.AgentMessage;
import io.miminions.sdk.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The benchmark's agent. By default it returns at once, or after {@code input.sleepMs} milliseconds.
 * With {@code input.action} it measures messaging (W6): {@code "ping"} sends {@code count} requests
 * to {@code input.peer} one after another and answers each round trip in milliseconds
 * ({@code roundTripsMs}); {@code "pong"} answers {@code count} requests with a response of the same
 * correlation id.
 */
public class BenchmarkAgent extends Agent {

    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public Map<String, Object> execute(Task task) throws InterruptedException {
        int count = task.input().get("count") instanceof Number n ? n.intValue() : 0;
        return switch (String.valueOf(task.input().get("action"))) {
            case "ping" -> Map.of("roundTripsMs", ping(String.valueOf(task.input().get("peer")), count));
            case "pong" -> Map.of("answered", pong(count));
            default -> {
                if (task.input().get("sleepMs") instanceof Number sleep) {
                    Thread.sleep(sleep.longValue());
                }
                yield Map.of();
            }
        };
    }

    private List<Double> ping(String peer, int count) {
        List<Double> roundTrips = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String correlationId = UUID.randomUUID().toString();
            long sent = System.nanoTime();
            context().sendMessage(List.of(peer), "ping", Map.of("seq", i), correlationId);
            context().waitForResponse(correlationId, RESPONSE_TIMEOUT);
            roundTrips.add((System.nanoTime() - sent) / 1e6);
        }
        return roundTrips;
    }

    private int pong(int count) {
        int answered = 0;
        while (answered < count && !context().isStopping()) {
            for (AgentMessage request : context().receiveMessages(true, RESPONSE_TIMEOUT)) {
                context().sendMessage(List.of(request.senderId()), "pong", Map.of(), request.correlationId());
                answered++;
            }
        }
        return answered;
    }
}
