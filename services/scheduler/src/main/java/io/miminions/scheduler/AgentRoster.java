package io.miminions.scheduler;

import io.miminions.model.AgentStatus;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.SequencedSet;

/**
 * The agents the scheduler knows, their lifecycle status and the task each one holds. An agent is
 * free when it runs and holds no task; free agents are kept longest idle first.
 */
public final class AgentRoster {

    private final Map<String, Agent> agents = new HashMap<>();
    private final SequencedSet<String> free = new LinkedHashSet<>();

    /** Records an agent's lifecycle status. */
    public void update(String agentId, AgentStatus status) {
        agent(agentId).status = status;
        refresh(agentId);
    }

    /** The agent now holds this task. */
    public void occupy(String agentId, String taskId) {
        Agent agent = agent(agentId);
        if (agent.taskId != null) {
            throw new IllegalStateException("agent " + agentId + " already holds task " + agent.taskId + ", not " + taskId);
        }
        agent.taskId = taskId;
        refresh(agentId);
    }

    /** The agent no longer holds this task; nothing happens if it holds another one or none. */
    public void release(String agentId, String taskId) {
        Agent agent = agents.get(agentId);
        if (agent != null && taskId.equals(agent.taskId)) {
            agent.taskId = null;
            refresh(agentId);
        }
    }

    /** The running agents that hold no task, longest idle first. */
    public SequencedSet<String> freeAgents() {
        return Collections.unmodifiableSequencedSet(free);
    }

    /** The agent's status, or null for an agent never heard of. */
    public AgentStatus status(String agentId) {
        Agent agent = agents.get(agentId);
        return agent == null ? null : agent.status;
    }

    private Agent agent(String agentId) {
        return agents.computeIfAbsent(agentId, id -> new Agent());
    }

    private void refresh(String agentId) {
        Agent agent = agents.get(agentId);
        if (agent.status == AgentStatus.RUNNING && agent.taskId == null) {
            free.add(agentId);
        } else {
            free.remove(agentId);
        }
    }

    private static final class Agent {
        private AgentStatus status = AgentStatus.REGISTERED;
        private String taskId;
    }
}
