package io.miminions.examples.agents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.Map;

/**
 * The seed's worker (examples 2 and 3): works for a while, then reports the item it processed.
 * It works in short steps and stops early when {@code context().isStopping()} (best practice 2), so
 * a cancel or a timeout takes effect at once.
 *
 * <p>Input: {@code item_id} (reported back; the task's name when absent) and {@code sleepMs}, how long
 * the work takes (2000, the seed's two seconds, when absent). Output: {@code {"processed_id": …,
 * "status": "done"}}, or {@code "status": "interrupted"} when it was asked to stop.
 */
public class WorkerAgent extends Agent {

    private static final long STEP_MS = 50;

    @Override
    public Map<String, Object> execute(Task task) {
        Object itemId = task.input().getOrDefault("item_id", task.name());
        long workMs = ((Number) task.input().getOrDefault("sleepMs", 2000)).longValue();
        long deadline = System.nanoTime() + workMs * 1_000_000;
        for (long left = workMs; left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
            if (context().isStopping()) {
                context().logger().info("asked to stop while processing " + itemId);
                return Map.of("processed_id", itemId, "status", "interrupted");
            }
            try {
                Thread.sleep(Math.min(STEP_MS, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Map.of("processed_id", itemId, "status", "interrupted");
            }
        }
        return Map.of("processed_id", itemId, "status", "done");
    }
}
