package io.miminions.examples.agents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.List;
import java.util.Map;

/**
 * The seed's stateful agent (example 8): counts the items of the batches it processes, saves the
 * counts when paused and restores them when resumed, so the count goes on across a pause, also
 * when the agent resumes on another agent host.
 *
 * <p>Input: {@code items}, a list. Output: {@code processed} (items in this batch) and
 * {@code total_count} (items so far).
 */
public class StatefulAgent extends Agent {

    private long processedCount;
    private long totalItems;

    @Override
    public Map<String, Object> execute(Task task) {
        int items = task.input().get("items") instanceof List<?> list ? list.size() : 0;
        totalItems += items;
        processedCount += items;
        return Map.of("processed", items, "total_count", processedCount);
    }

    @Override
    public Map<String, Object> onPause() {
        context().logger().info("Saving state: " + processedCount + " items");
        return Map.of("processed_count", processedCount, "total_items", totalItems);
    }

    @Override
    public void onResume(Map<String, Object> state) {
        processedCount = state.get("processed_count") instanceof Number n ? n.longValue() : 0;
        totalItems = state.get("total_items") instanceof Number n ? n.longValue() : 0;
        context().logger().info("Restored state: " + processedCount + " items");
    }
}
