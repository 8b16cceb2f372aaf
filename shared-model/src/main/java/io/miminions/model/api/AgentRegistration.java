package io.miminions.model.api;

import java.util.Map;

/**
 * The body of {@code POST /agents}.
 *
 * @param name      a name for people to recognise the agent by
 * @param agentType the simple name of a built-in agent ({@code HelloAgent}) or the fully qualified
 *                  class name of an {@code io.miminions.sdk.Agent} subclass on the agent hosts
 * @param config    handed to the agent as {@code context.config()}
 */
public record AgentRegistration(String name, String agentType, Map<String, Object> config) {

    public AgentRegistration {
        config = config == null ? Map.of() : config;
    }
}
