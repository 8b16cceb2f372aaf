package io.miminions.sdk;

/**
 * The logger an agent writes to. Every line is tagged with the agent's id and name and, while a
 * task runs, the task's id.
 */
public interface AgentLogger {

    void debug(String message);

    void info(String message);

    void warn(String message);

    void error(String message);

    void error(String message, Throwable cause);
}
