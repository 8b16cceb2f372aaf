package io.miminions.agenthost;

import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Severity;
import io.miminions.model.TaskStatus;
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

    /** The attempt's {@code execute} returned this output: outcome COMPLETED. */
    public static Event attemptCompleted(Assignment assignment, Map<String, Object> output, long durationMs) {
        return attemptEnded(assignment, TaskStatus.COMPLETED, "output", output, "durationMs", durationMs);
    }

    /** The attempt's {@code execute} threw (or returned something that is not JSON): outcome FAILED. */
    public static Event attemptFailed(Assignment assignment, Throwable error, long durationMs) {
        return attemptEnded(assignment, TaskStatus.FAILED, "errorType", error.getClass().getName(),
                "errorMessage", error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName(),
                "durationMs", durationMs);
    }

    /** The attempt ran for the task's whole timeout and was interrupted: outcome TIMED_OUT. */
    public static Event attemptTimedOut(Assignment assignment) {
        return attemptEnded(assignment, TaskStatus.TIMED_OUT, "timeoutSeconds", assignment.timeoutSeconds());
    }

    /** The attempt was interrupted before it ended, for this reason: outcome CANCELLED. */
    public static Event attemptCancelled(Assignment assignment, String reason) {
        return attemptEnded(assignment, TaskStatus.CANCELLED, "reason", reason);
    }

    /**
     * How one attempt ended: {@code TASK_ATTEMPT_ENDED} with {@code attempt}, {@code outcome} and the
     * outcome's details, INFO when it completed, WARNING otherwise. The scheduler turns it into the
     * task's outcome; it never ends the task by itself.
     */
    private static Event attemptEnded(Assignment assignment, TaskStatus outcome, Object... details) {
        Map<String, Object> data = data("attempt", assignment.attempt(), "outcome", outcome.name());
        data.putAll(data(details));
        Event event = Event.of(EventType.TASK_ATTEMPT_ENDED, SOURCE, assignment.agentId(), assignment.taskId(), data);
        return outcome == TaskStatus.COMPLETED ? event : new Event(event.eventId(), event.type(), Severity.WARNING, event.time(),
                event.source(), event.agentId(), event.taskId(), event.correlationId(), event.data());
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
