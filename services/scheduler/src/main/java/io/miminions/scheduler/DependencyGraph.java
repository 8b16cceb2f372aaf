package io.miminions.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which waiting tasks depend on which tasks that have not completed yet. A dependency may be a
 * task the scheduler has not received yet: tasks arrive on different partitions.
 */
public final class DependencyGraph {

    /** Task id → the ids of its dependencies that have not completed. */
    private final Map<String, Set<String>> unmet = new HashMap<>();
    /** Dependency id → the ids of the waiting tasks that need it, in the order they arrived. */
    private final Map<String, Set<String>> dependants = new HashMap<>();

    /** Records that a task waits for these dependencies; they must not be empty. */
    public void await(String taskId, Collection<String> unmetDependencies) {
        if (unmetDependencies.isEmpty()) {
            throw new IllegalArgumentException("task " + taskId + " has no unmet dependency to wait for");
        }
        unmet.put(taskId, new LinkedHashSet<>(unmetDependencies));
        for (String dependency : unmetDependencies) {
            dependants.computeIfAbsent(dependency, id -> new LinkedHashSet<>()).add(taskId);
        }
    }

    /** A task completed: returns the ids of the tasks for which it was the last unmet dependency. */
    public List<String> release(String completedTaskId) {
        Set<String> waiting = dependants.remove(completedTaskId);
        if (waiting == null) {
            return List.of();
        }
        List<String> ready = new ArrayList<>();
        for (String taskId : waiting) {
            Set<String> rest = unmet.get(taskId);
            rest.remove(completedTaskId);
            if (rest.isEmpty()) {
                unmet.remove(taskId);
                ready.add(taskId);
            }
        }
        return ready;
    }

    /**
     * A task ended without completing: returns the ids of the tasks waiting for it, in the order they
     * arrived, and forgets them (they can no longer run).
     */
    public List<String> dropDependantsOf(String endedTaskId) {
        Set<String> waiting = dependants.remove(endedTaskId);
        if (waiting == null) {
            return List.of();
        }
        List<String> dropped = List.copyOf(waiting);
        dropped.forEach(this::forget);
        return dropped;
    }

    /** Forgets a waiting task, for example one that was cancelled; nothing happens for a task that does not wait. */
    public void forget(String taskId) {
        Set<String> rest = unmet.remove(taskId);
        if (rest == null) {
            return;
        }
        for (String dependency : rest) {
            Set<String> others = dependants.get(dependency);
            if (others != null && others.remove(taskId) && others.isEmpty()) {
                dependants.remove(dependency);
            }
        }
    }

    /** True when the task waits for a dependency. */
    public boolean isWaiting(String taskId) {
        return unmet.containsKey(taskId);
    }
}
