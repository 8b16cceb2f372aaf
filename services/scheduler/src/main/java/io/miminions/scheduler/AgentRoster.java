package io.miminions.scheduler;

import io.miminions.model.AgentStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.Set;

/**
 * The agents the scheduler knows: their lifecycle status, whether their host is alive (their lease
 * holds) and the tasks each one holds. An agent is free when it runs, its lease holds and it holds
 * no task; free agents are kept longest idle first. With a prefetch, an agent one of whose tasks
 * just ended may take up to that many tasks more than the one it runs: it is refilling until the
 * next {@link #endRefills()}.
 */
public final class AgentRoster {

    private final Map<String, Agent> agents = new HashMap<>();
    private final SequencedSet<String> free = new LinkedHashSet<>();
    private final SequencedSet<String> refilling = new LinkedHashSet<>();
    /** The agents one of whose tasks ended since the last {@link #endRefills()}. */
    private final Set<String> taskEnded = new HashSet<>();
    private final int capacity;

    /** @param prefetch how many tasks an agent may hold beyond the one it runs */
    public AgentRoster(int prefetch) {
        if (prefetch < 0) {
            throw new IllegalArgumentException("the agent prefetch must be 0 or more, not " + prefetch);
        }
        this.capacity = 1 + prefetch;
    }

    /** Records an agent's lifecycle status. */
    public void update(String agentId, AgentStatus status) {
        agent(agentId).status = status;
        refresh(agentId);
    }

    /**
     * The agent's host is alive until {@code until} (a lease is never shortened). Answers whether the
     * agent was out of reach before.
     */
    public boolean renew(String agentId, Instant until) {
        return renew(agentId, until, null);
    }

    /** As {@link #renew(String, Instant)}, from a heartbeat of host {@code hostId}. */
    public boolean renew(String agentId, Instant until, String hostId) {
        Agent agent = agent(agentId);
        if (hostId != null) {
            agent.hostId = hostId;
        }
        boolean wasLost = !agent.reachable;
        if (agent.leaseExpiresAt == null || until.isAfter(agent.leaseExpiresAt)) {
            agent.leaseExpiresAt = until;
        }
        agent.reachable = true;
        refresh(agentId);
        return wasLost;
    }

    /**
     * Marks out of reach the agents whose lease ended before {@code now}; answers those that should
     * be alive (running or paused), each with the host that last sent a heartbeat for it.
     */
    public Map<String, String> expire(Instant now) {
        Map<String, String> lost = new LinkedHashMap<>();
        agents.forEach((agentId, agent) -> {
            if (agent.reachable && agent.leaseExpiresAt != null && agent.leaseExpiresAt.isBefore(now)) {
                agent.reachable = false;
                refresh(agentId);
                if (agent.status == AgentStatus.RUNNING || agent.status == AgentStatus.PAUSED) {
                    lost.put(agentId, agent.hostId);
                }
            }
        });
        return lost;
    }

    /**
     * The agent left its host for another: out of reach, without a lease to run out, until the new
     * host reports it or names it in a heartbeat.
     */
    public void handedOver(String agentId) {
        Agent agent = agent(agentId);
        agent.reachable = false;
        agent.leaseExpiresAt = null;
        refresh(agentId);
    }

    /** The agent now holds this task too (restored ones may exceed what it would be given now). */
    public void occupy(String agentId, String taskId) {
        agent(agentId).tasks.add(taskId);
        refresh(agentId);
    }

    /** The agent no longer holds this task, and refills; nothing happens if it does not hold it. */
    public void release(String agentId, String taskId) {
        Agent agent = agents.get(agentId);
        if (agent != null && agent.tasks.remove(taskId)) {
            if (capacity > 1) {
                taskEnded.add(agentId);
            }
            refresh(agentId);
        }
    }

    /** The running agents in reach that hold no task, longest idle first. */
    public SequencedSet<String> freeAgents() {
        return Collections.unmodifiableSequencedSet(free);
    }

    /** The running agents in reach that are refilling and hold fewer tasks than they may. */
    public SequencedSet<String> refillingAgents() {
        return Collections.unmodifiableSequencedSet(refilling);
    }

    /** How many tasks the agents that take tasks (running, in reach) may hold ahead together. */
    public int aheadCapacity() {
        return (capacity - 1) * (int) agents.values().stream().filter(Agent::takesTasks).count();
    }

    /** The agents stop refilling: until one of its tasks ends, an agent that holds a task gets no more. */
    public void endRefills() {
        taskEnded.clear();
        refilling.clear();
    }

    /** The agent's status, or null for an agent never heard of. */
    public AgentStatus status(String agentId) {
        Agent agent = agents.get(agentId);
        return agent == null ? null : agent.status;
    }

    /** True when the agent's lease holds. */
    public boolean isReachable(String agentId) {
        Agent agent = agents.get(agentId);
        return agent != null && agent.reachable;
    }

    private Agent agent(String agentId) {
        return agents.computeIfAbsent(agentId, id -> new Agent());
    }

    private void refresh(String agentId) {
        Agent agent = agents.get(agentId);
        boolean takesTasks = agent.takesTasks();
        if (!takesTasks) {
            taskEnded.remove(agentId);
        }
        if (takesTasks && agent.tasks.isEmpty()) {
            free.add(agentId);
        } else {
            free.remove(agentId);
        }
        if (taskEnded.contains(agentId) && agent.tasks.size() < capacity) {
            refilling.add(agentId);
        } else {
            refilling.remove(agentId);
        }
    }

    private static final class Agent {
        private AgentStatus status = AgentStatus.REGISTERED;
        /** The tasks it holds, the one it runs first. */
        private final List<String> tasks = new ArrayList<>(1);
        private Instant leaseExpiresAt;
        /** The host that last sent a heartbeat naming it. */
        private String hostId;
        /** Until a lease expires: an agent first heard of is presumed alive. */
        private boolean reachable = true;

        private boolean takesTasks() {
            return status == AgentStatus.RUNNING && reachable;
        }
    }
}
