package io.miminions.scheduler;

import io.miminions.model.Priorities;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The tasks whose dependencies are met, waiting for an agent, ordered by
 * {@link ScheduledTask#BY_PRIORITY_THEN_SUBMISSION}. Tasks that may run on any agent share one
 * queue; tasks bound to one agent sit in that agent's queue, so the best task for a set of agents
 * is found by comparing a few queue heads.
 */
public final class ReadyQueue {

    private final NavigableSet<ScheduledTask> anyAgent = new TreeSet<>(ScheduledTask.BY_PRIORITY_THEN_SUBMISSION);
    private final Map<String, NavigableSet<ScheduledTask>> byAgent = new HashMap<>();

    public void add(ScheduledTask task) {
        queueOf(task).add(task);
    }

    public void remove(ScheduledTask task) {
        String agentId = task.requestedAgent();
        if (agentId == null) {
            anyAgent.remove(task);
            return;
        }
        NavigableSet<ScheduledTask> queue = byAgent.get(agentId);
        if (queue != null && queue.remove(task) && queue.isEmpty()) {
            byAgent.remove(agentId);
        }
    }

    /**
     * The first task, in priority then submission order, that may run on one of these agents; null
     * when there is none.
     */
    public ScheduledTask next(Collection<String> agentIds) {
        ScheduledTask best = agentIds.isEmpty() || anyAgent.isEmpty() ? null : anyAgent.first();
        for (String agentId : agentIds) {
            NavigableSet<ScheduledTask> queue = byAgent.get(agentId);
            if (queue != null && (best == null || ScheduledTask.BY_PRIORITY_THEN_SUBMISSION.compare(queue.first(), best) < 0)) {
                best = queue.first();
            }
        }
        return best;
    }

    /** True when some ready task may run only on this agent. */
    public boolean hasTasksBoundTo(String agentId) {
        return byAgent.containsKey(agentId);
    }

    public int size() {
        return anyAgent.size() + byAgent.values().stream().mapToInt(NavigableSet::size).sum();
    }

    /** How many ready tasks each priority band ({@link Priorities#partitionOf}) holds; every band is present. */
    public int[] sizeByBand() {
        int[] sizes = new int[Priorities.BANDS];
        anyAgent.forEach(task -> sizes[Priorities.partitionOf(task.priority())]++);
        byAgent.values().forEach(queue -> queue.forEach(task -> sizes[Priorities.partitionOf(task.priority())]++));
        return sizes;
    }

    private NavigableSet<ScheduledTask> queueOf(ScheduledTask task) {
        String agentId = task.requestedAgent();
        return agentId == null ? anyAgent : byAgent.computeIfAbsent(agentId, id -> new TreeSet<>(ScheduledTask.BY_PRIORITY_THEN_SUBMISSION));
    }
}
