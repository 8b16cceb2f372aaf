package io.miminions.agenthost;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.MDC;

/**
 * Tags the log lines of the current thread with an agent and its task (MDC keys {@value #AGENT_ID},
 * {@value #AGENT_NAME}, {@value #TASK_ID}) until closed, then puts back the tags that were there before.
 */
public final class LogTags implements AutoCloseable {

    public static final String AGENT_ID = "agentId";
    public static final String AGENT_NAME = "agentName";
    public static final String TASK_ID = "taskId";

    private final Map<String, Object> previous = new LinkedHashMap<>();

    private LogTags(String agentId, String agentName, String taskId) {
        tag(AGENT_ID, agentId);
        tag(AGENT_NAME, agentName);
        tag(TASK_ID, taskId);
    }

    /** Tags the current thread; a {@code null} value removes that tag. */
    public static LogTags of(String agentId, String agentName, String taskId) {
        return new LogTags(agentId, agentName, taskId);
    }

    @Override
    public void close() {
        previous.forEach(LogTags::set);
    }

    private void tag(String key, String value) {
        previous.put(key, MDC.get(key));
        set(key, value);
    }

    private static void set(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
