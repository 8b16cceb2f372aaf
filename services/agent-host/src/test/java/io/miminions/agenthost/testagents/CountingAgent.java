package io.miminions.agenthost.testagents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed's stateful agent (example 8): counts the items of its tasks, saves the count when paused
 * and restores it when resumed. Input {@code "gate"} makes a task wait until the test opens that
 * gate. Records each hook call per agent id for the tests.
 */
public class CountingAgent extends Agent {

    public static final Map<String, AtomicInteger> PAUSES = new ConcurrentHashMap<>();
    public static final Map<String, List<Map<String, Object>>> RESUMES = new ConcurrentHashMap<>();
    public static final Map<String, AtomicInteger> STOPS = new ConcurrentHashMap<>();

    private int processedCount;
    private int totalItems;

    @Override
    public Map<String, Object> execute(Task task) throws InterruptedException {
        if (task.input().get("gate") instanceof String gate) {
            Gates.pass(gate);
        }
        int items = ((List<?>) task.input().getOrDefault("items", List.of())).size();
        processedCount += items;
        totalItems += items;
        return Map.of("processed", items, "total_count", processedCount, "stopping", context().isStopping());
    }

    @Override
    public Map<String, Object> onPause() {
        PAUSES.computeIfAbsent(context().agentId(), id -> new AtomicInteger()).incrementAndGet();
        context().logger().info("Saving state: " + processedCount + " items");
        return Map.of("processed_count", processedCount, "total_items", totalItems);
    }

    @Override
    public void onResume(Map<String, Object> state) {
        RESUMES.computeIfAbsent(context().agentId(), id -> new CopyOnWriteArrayList<>()).add(state);
        processedCount = ((Number) state.getOrDefault("processed_count", 0)).intValue();
        totalItems = ((Number) state.getOrDefault("total_items", 0)).intValue();
        context().logger().info("Restored state: " + processedCount + " items");
    }

    @Override
    public void onStop() {
        STOPS.computeIfAbsent(context().agentId(), id -> new AtomicInteger()).incrementAndGet();
    }

    public static int pauses(String agentId) {
        AtomicInteger count = PAUSES.get(agentId);
        return count == null ? 0 : count.get();
    }

    public static int stops(String agentId) {
        AtomicInteger count = STOPS.get(agentId);
        return count == null ? 0 : count.get();
    }
}
