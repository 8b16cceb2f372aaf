package io.miminions.agenthost.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.TaskStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The host's domain meters, counted from the events it publishes and registered at start-up so that
 * each shows at zero too: attempts by outcome, their execution time, and agent messages.
 */
@ApplicationScoped
public class PublishedEventMetrics {

    /** Task attempts this host ended, tagged {@code outcome}: COMPLETED, FAILED, TIMED_OUT, CANCELLED. */
    public static final String ATTEMPTS = "miminions.agent.attempts";
    /** Execution time of the attempts that completed or failed (their {@code durationMs}), tagged {@code outcome}; a histogram. */
    public static final String ATTEMPT_DURATION = "miminions.agent.attempt.duration";
    /** Agent messages, tagged {@code type}: the MESSAGE_* events this host published. */
    public static final String MESSAGES = "miminions.messages";

    private static final List<TaskStatus> OUTCOMES = List.of(TaskStatus.COMPLETED, TaskStatus.FAILED,
            TaskStatus.TIMED_OUT, TaskStatus.CANCELLED);
    private static final List<EventType> MESSAGE_EVENTS = List.of(EventType.MESSAGE_SENT, EventType.MESSAGE_DELIVERED,
            EventType.MESSAGE_REJECTED);

    private final Map<TaskStatus, Counter> attempts = new EnumMap<>(TaskStatus.class);
    private final Map<TaskStatus, Timer> durations = new EnumMap<>(TaskStatus.class);
    private final Map<EventType, Counter> messages = new EnumMap<>(EventType.class);

    public PublishedEventMetrics(MeterRegistry registry) {
        for (TaskStatus outcome : OUTCOMES) {
            attempts.put(outcome, Counter.builder(ATTEMPTS).description("Task attempts ended on this host, by outcome")
                    .tag("outcome", outcome.name()).register(registry));
            durations.put(outcome, Timer.builder(ATTEMPT_DURATION).description("Execution time of task attempts")
                    .tag("outcome", outcome.name()).publishPercentileHistogram().register(registry));
        }
        for (EventType type : MESSAGE_EVENTS) {
            messages.put(type, Counter.builder(MESSAGES).description("Agent messages, by event type")
                    .tag("type", type.name()).register(registry));
        }
    }

    /** Counts an event Kafka has acknowledged. */
    public void published(Event event) {
        Counter message = messages.get(event.type());
        if (message != null) {
            message.increment();
        }
        if (event.type() != EventType.TASK_ATTEMPT_ENDED) {
            return;
        }
        TaskStatus outcome = outcomeOf(event);
        if (outcome == null) {
            return;
        }
        attempts.get(outcome).increment();
        if (event.data().get("durationMs") instanceof Number millis) {
            durations.get(outcome).record(Duration.ofMillis(millis.longValue()));
        }
    }

    private static TaskStatus outcomeOf(Event ended) {
        try {
            TaskStatus outcome = TaskStatus.valueOf(String.valueOf(ended.data().get("outcome")));
            return OUTCOMES.contains(outcome) ? outcome : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
