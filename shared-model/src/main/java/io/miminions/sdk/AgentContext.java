package io.miminions.sdk;

import java.util.Map;

/** What the runtime gives an agent: who it is, its configuration, a logger, and whether it should stop. */
public interface AgentContext {

    /** The id the fleet gave the agent at registration. */
    String agentId();

    /** The name the agent was registered with. */
    String agentName();

    /** The configuration map the agent was registered with; empty when none was given. */
    Map<String, Object> config();

    /** A logger that tags each line with this agent and the task it is running. */
    AgentLogger logger();

    /**
     * True once the agent has been asked to stop, or its current task was cancelled or timed out.
     * Long-running work should check it and return early.
     */
    boolean isStopping();
}
