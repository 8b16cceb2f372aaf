package io.miminions.scheduler;

import io.miminions.model.AgentStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * What one step of the scheduler changed: the task and agent rows to write and the transitions to
 * announce, all saved in one transaction.
 */
public final class StateChanges {

    private final SequencedSet<ScheduledTask> tasks = new LinkedHashSet<>();
    private final Map<String, AgentStatus> agents = new LinkedHashMap<>();
    private final List<ScheduledTask> queued = new ArrayList<>();
    private final List<ScheduledTask> assigned = new ArrayList<>();

    void changed(ScheduledTask task) {
        tasks.add(task);
    }

    void changed(String agentId, AgentStatus status) {
        agents.put(agentId, status);
    }

    void queued(ScheduledTask task) {
        changed(task);
        queued.add(task);
    }

    void assigned(ScheduledTask task) {
        changed(task);
        assigned.add(task);
    }

    /** The tasks whose row changed, in the order they first changed. */
    public SequencedSet<ScheduledTask> tasks() {
        return Collections.unmodifiableSequencedSet(tasks);
    }

    /** The agents whose status changed, with their new status. */
    public Map<String, AgentStatus> agents() {
        return Collections.unmodifiableMap(agents);
    }

    /** The tasks that became ready to run. */
    public List<ScheduledTask> queued() {
        return Collections.unmodifiableList(queued);
    }

    /** The tasks handed to an agent. */
    public List<ScheduledTask> assigned() {
        return Collections.unmodifiableList(assigned);
    }

    public boolean isEmpty() {
        return tasks.isEmpty() && agents.isEmpty();
    }
}
