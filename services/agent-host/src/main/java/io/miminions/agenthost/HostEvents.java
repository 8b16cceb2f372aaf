package io.miminions.agenthost;

import io.miminions.model.AgentCommand;
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

    /**
     * The agent runs on this host: created, {@code onStart} called and, when {@code restored}, its
     * saved state of this generation handed to {@code onResume}.
     */
    public static Event agentStarted(AgentCommand run, String hostId, boolean restored) {
        return agentEvent(EventType.AGENT_STARTED, run, hostId, "agentType", run.agentType(), "restored", restored);
    }

    /** The agent's pause took effect: its state is saved, it takes no assignment until resumed. */
    public static Event agentPaused(AgentCommand run, String hostId) {
        return agentEvent(EventType.AGENT_PAUSED, run, hostId);
    }

    /** The agent takes assignments again; {@code pauseCancelled} when the resume came before the pause took effect. */
    public static Event agentResumed(AgentCommand run, String hostId, boolean pauseCancelled) {
        return agentEvent(EventType.AGENT_RESUMED, run, hostId, "pauseCancelled", pauseCancelled);
    }

    public static Event agentStopped(AgentCommand run, String hostId) {
        return agentEvent(EventType.AGENT_STOPPED, run, hostId);
    }

    /** The agent stopped for this reason; {@code details} are more data (may be empty). */
    public static Event agentFailed(AgentCommand run, String hostId, String reason, Map<String, Object> details) {
        Map<String, Object> data = data("reason", reason);
        data.putAll(details);
        return agentEvent(EventType.AGENT_FAILED, run, hostId, data);
    }

    /** The agent left this host for the new owner of its control partition; {@code stateSaved} says whether its state was saved. */
    public static Event agentHandedOver(AgentCommand run, String hostId, boolean stateSaved) {
        return agentEvent(EventType.AGENT_HANDED_OVER, run, hostId, "stateSaved", stateSaved);
    }

    /** An event about one run of an agent: data {@code generation} and {@code host}, then the details. */
    private static Event agentEvent(EventType type, AgentCommand run, String hostId, Object... details) {
        return agentEvent(type, run, hostId, data(details));
    }

    private static Event agentEvent(EventType type, AgentCommand run, String hostId, Map<String, Object> details) {
        Map<String, Object> data = data("generation", run.generation(), "host", hostId);
        data.putAll(details);
        return Event.of(type, SOURCE, run.agentId(), null, data);
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
