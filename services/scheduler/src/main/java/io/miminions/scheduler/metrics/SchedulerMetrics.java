package io.miminions.scheduler.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Priorities;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The scheduler's domain meters, registered at start-up so that each shows at zero too: the
 * outcomes it decided, how long the deciding attempts ran, its ready queue by priority band, and
 * the time its single loop takes: how long an input waits for its step, a step, and the step's
 * transaction.
 */
@ApplicationScoped
public class SchedulerMetrics {

    /** Tasks ended, tagged {@code outcome}: COMPLETED, FAILED, TIMED_OUT, CANCELLED. */
    public static final String TASKS_ENDED = "miminions.tasks.ended";
    /** Execution time of the attempt that ended a task (its {@code durationMs}), tagged {@code outcome}; a histogram. */
    public static final String TASK_DURATION = "miminions.task.duration";
    /** Ready tasks waiting for a free agent, tagged {@code priority_band} (0 for priorities 0–9, …, 9 for 90–100). */
    public static final String QUEUE_DEPTH = "miminions.scheduler.queue.depth";

    /** From the arrival of an input (a polled batch, a heartbeat; the clock's ticks are not inputs) to the start of the step that applies it; a histogram. */
    public static final String INPUT_WAIT = "miminions.scheduler.input.wait";
    /** A step, from its start until its records are handed to Kafka; a histogram. */
    public static final String STEP = "miminions.scheduler.step";
    /** A step's transaction, from its start to its commit; a histogram. */
    public static final String STEP_SAVE = "miminions.scheduler.step.save";

    private static final List<EventType> OUTCOMES = Stream.of(EventType.values()).filter(EventType::endsTask).toList();

    private final Map<EventType, Counter> ended = new EnumMap<>(EventType.class);
    private final Map<EventType, Timer> durations = new EnumMap<>(EventType.class);
    private final AtomicInteger[] queueDepth = new AtomicInteger[Priorities.BANDS];
    private final Timer inputWait;
    private final Timer step;
    private final Timer stepSave;

    public SchedulerMetrics(MeterRegistry registry) {
        for (EventType outcome : OUTCOMES) {
            Tags tags = Tags.of("outcome", outcomeOf(outcome));
            ended.put(outcome, Counter.builder(TASKS_ENDED).description("Tasks ended, by outcome").tags(tags).register(registry));
            durations.put(outcome, Timer.builder(TASK_DURATION)
                    .description("Execution time of the attempt that ended a task")
                    .tags(tags)
                    .publishPercentileHistogram()
                    .register(registry));
        }
        for (int band = 0; band < Priorities.BANDS; band++) {
            queueDepth[band] = registry.gauge(QUEUE_DEPTH, Tags.of("priority_band", String.valueOf(band)), new AtomicInteger());
        }
        inputWait = histogram(registry, INPUT_WAIT, "Time an input waits for the step that applies it");
        step = histogram(registry, STEP, "A step of the scheduler's loop, until its records are handed to Kafka");
        stepSave = histogram(registry, STEP_SAVE, "A step's transaction, until its commit");
    }

    /** An input arrived {@code nanos} before the start of the step that applies it. */
    public void inputWaited(long nanos) {
        inputWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A saved step (the clock's ticks among them) took {@code nanos}. */
    public void stepped(long nanos) {
        step.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A step's transaction took {@code nanos}. */
    public void stepSaved(long nanos) {
        stepSave.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static Timer histogram(MeterRegistry registry, String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram().register(registry);
    }

    /** Counts the tasks a saved step ended, and the durations their events report. */
    public void saved(List<Event> events) {
        for (Event event : events) {
            Counter counter = ended.get(event.type());
            if (counter != null) {
                counter.increment();
                if (event.data().get("durationMs") instanceof Number millis) {
                    durations.get(event.type()).record(Duration.ofMillis(millis.longValue()));
                }
            }
        }
    }

    /** The ready queue as it is now, index = priority band. */
    public void queueDepth(int[] readyByBand) {
        for (int band = 0; band < queueDepth.length; band++) {
            queueDepth[band].set(readyByBand[band]);
        }
    }

    private static String outcomeOf(EventType type) {
        return type.name().substring("TASK_".length());
    }
}
