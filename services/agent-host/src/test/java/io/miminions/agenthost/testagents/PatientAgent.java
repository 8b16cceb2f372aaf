package io.miminions.agenthost.testagents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test agent that works in small steps until {@code context().isStopping()}, as the seed's best
 * practice asks, and remembers which tasks it saw stopping. Input {@code "steps"} makes it finish on its own.
 */
public class PatientAgent extends Agent {

    /** The ids of the tasks during which the agent saw {@code isStopping()} turn true. */
    public static final Set<String> SAW_STOPPING = ConcurrentHashMap.newKeySet();

    @Override
    public Map<String, Object> execute(Task task) {
        int steps = ((Number) task.input().getOrDefault("steps", Integer.MAX_VALUE)).intValue();
        for (int step = 0; step < steps; step++) {
            if (context().isStopping()) {
                SAW_STOPPING.add(task.id());
                return Map.of("stoppedAfter", step);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                // the host interrupts the thread and sets isStopping(): the next check returns
            }
        }
        return Map.of("steps", steps);
    }
}
