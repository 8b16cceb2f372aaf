package io.miminions.model;

/** What an {@link AgentCommand} asks the agent's host to do. */
public enum AgentAction {
    START,
    PAUSE,
    RESUME,
    /** Let the current task finish, then stop. */
    STOP,
    /** Cancel the current task and stop. */
    STOP_NOW
}
