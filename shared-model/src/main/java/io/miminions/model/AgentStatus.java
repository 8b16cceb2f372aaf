package io.miminions.model;

/** The lifecycle of an agent: registered → running ⇄ paused → stopped, or failed from any live state. */
public enum AgentStatus {
    REGISTERED,
    RUNNING,
    PAUSED,
    STOPPED,
    FAILED
}
