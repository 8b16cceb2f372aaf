package io.miminions.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Something that happened in the fleet: the value on {@link Topics#EVENTS}, key {@link #key()}.
 * Consumers deduplicate by {@link #eventId()}.
 *
 * @param source the service that produced it ({@code task-intake}, {@code scheduler}, {@code agent-host}, {@code audit})
 * @param data   details that depend on the type (for example {@code output} on TASK_COMPLETED)
 */
public record Event(
        String eventId,
        EventType type,
        Severity severity,
        Instant time,
        String source,
        String agentId,
        String taskId,
        String correlationId,
        Map<String, Object> data) {

    public Event {
        data = data == null ? Map.of() : data;
    }

    /** A new event with a fresh id, the type's default severity and the current time. */
    public static Event of(EventType type, String source, String agentId, String taskId, Map<String, Object> data) {
        return new Event(UUID.randomUUID().toString(), type, type.defaultSeverity(), Instant.now(), source,
                agentId, taskId, null, data);
    }

    /** The Kafka key: the task id when there is one, else the agent id, else the event id. */
    public String key() {
        if (taskId != null) {
            return taskId;
        }
        return agentId != null ? agentId : eventId;
    }

    /** A copy with one more entry in {@link #data()}. */
    public Event with(String dataKey, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(data);
        more.put(dataKey, value);
        return new Event(eventId, type, severity, time, source, agentId, taskId, correlationId, more);
    }
}
