package io.miminions.agenthost;

import io.miminions.sdk.AgentLogger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The logger an agent writes to: every line carries the agent's id and name and the id of the task
 * it is running, also when the agent logs from a thread of its own.
 */
public final class TaggedAgentLogger implements AgentLogger {

    private final Logger log;
    private final String agentId;
    private final String agentName;
    private final Supplier<String> currentTaskId;

    public TaggedAgentLogger(Logger log, String agentId, String agentName, Supplier<String> currentTaskId) {
        this.log = log;
        this.agentId = agentId;
        this.agentName = agentName;
        this.currentTaskId = currentTaskId;
    }

    @Override
    public void debug(String message) {
        write(Logger.Level.DEBUG, message, null);
    }

    @Override
    public void info(String message) {
        write(Logger.Level.INFO, message, null);
    }

    @Override
    public void warn(String message) {
        write(Logger.Level.WARN, message, null);
    }

    @Override
    public void error(String message) {
        write(Logger.Level.ERROR, message, null);
    }

    @Override
    public void error(String message, Throwable cause) {
        write(Logger.Level.ERROR, message, cause);
    }

    private void write(Logger.Level level, String message, Throwable cause) {
        try (LogTags tags = LogTags.of(agentId, agentName, currentTaskId.get())) {
            log.log(level, message, cause);
        }
    }
}
