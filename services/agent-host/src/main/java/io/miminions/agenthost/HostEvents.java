package io.miminions.agenthost;

import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The events an agent host records on {@code miminions.events}, with the data each type carries. */
public final class HostEvents {

    /** The {@link Event#source()} of every event this service produces. */
    public static final String SOURCE = "agent-host";

    private HostEvents() {
    }

    public static Event agentStarted(String agentId, String agentType, String hostId) {
        return Event.of(EventType.AGENT_STARTED, SOURCE, agentId, null, data("agentType", agentType, "host", hostId));
    }

    public static Event agentStopped(String agentId, String hostId) {
        return Event.of(EventType.AGENT_STOPPED, SOURCE, agentId, null, data("host", hostId));
    }

    public static Event agentFailed(String agentId, String reason) {
        return Event.of(EventType.AGENT_FAILED, SOURCE, agentId, null, data("reason", reason));
    }

    public static Event taskStarted(Assignment assignment, String hostId) {
        return Event.of(EventType.TASK_STARTED, SOURCE, assignment.agentId(), assignment.taskId(),
                data("attempt", assignment.attempt(), "host", hostId));
    }

    public static Event taskCompleted(Assignment assignment, Map<String, Object> output, long durationMs) {
        return Event.of(EventType.TASK_COMPLETED, SOURCE, assignment.agentId(), assignment.taskId(),
                data("attempt", assignment.attempt(), "output", output, "durationMs", durationMs));
    }

    public static Event taskFailed(Assignment assignment, Throwable error) {
        return Event.of(EventType.TASK_FAILED, SOURCE, assignment.agentId(), assignment.taskId(),
                data("attempt", assignment.attempt(), "errorType", error.getClass().getName(),
                        "errorMessage", error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName()));
    }

    public static Event taskCancelled(Assignment assignment, String reason) {
        return Event.of(EventType.TASK_CANCELLED, SOURCE, assignment.agentId(), assignment.taskId(),
                data("attempt", assignment.attempt(), "reason", reason));
    }

    /** A record this host could not use; the data says which record and why. */
    public static Event serviceError(String agentId, String reason, ConsumerRecord<?, ?> record) {
        return Event.of(EventType.SERVICE_ERROR, SOURCE, agentId, null, data("reason", reason,
                "topic", record.topic(), "partition", record.partition(), "offset", record.offset()));
    }

    private static Map<String, Object> data(Object... keysAndValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            data.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return data;
    }
}
