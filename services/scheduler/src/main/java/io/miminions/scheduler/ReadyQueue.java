package io.miminions.scheduler;

import io.miminions.model.Priorities;
import java.util.Arrays;
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
    /** How many of the queued tasks each priority band holds, kept as tasks come and go. */
    private final int[] sizeByBand = new int[Priorities.BANDS];

    public void add(ScheduledTask task) {
        if (queueOf(task).add(task)) {
            sizeByBand[Priorities.partitionOf(task.priority())]++;
        }
    }

    public void remove(ScheduledTask task) {
        String agentId = task.requestedAgent();
        NavigableSet<ScheduledTask> queue = agentId == null ? anyAgent : byAgent.get(agentId);
        if (queue == null || !queue.remove(task)) {
            return;
        }
        sizeByBand[Priorities.partitionOf(task.priority())]--;
        if (agentId != null && queue.isEmpty()) {
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
        return Arrays.stream(sizeByBand).sum();
    }

    /** How many ready tasks each priority band ({@link Priorities#partitionOf}) holds; every band is present. */
    public int[] sizeByBand() {
        return sizeByBand.clone();
    }

    private NavigableSet<ScheduledTask> queueOf(ScheduledTask task) {
        String agentId = task.requestedAgent();
        return agentId == null ? anyAgent : byAgent.computeIfAbsent(agentId, id -> new TreeSet<>(ScheduledTask.BY_PRIORITY_THEN_SUBMISSION));
    }
}
