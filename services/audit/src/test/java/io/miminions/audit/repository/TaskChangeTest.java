package io.miminions.audit.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.miminions.audit.StoredEvent;
import io.miminions.audit.repository.FleetStateRepository.TaskChange;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TaskChangeTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final AtomicLong seq = new AtomicLong();

    @Test
    void theLaterEventWinsAndKeepsThePriorityStatedBefore() {
        TaskChange change = stored(EventType.TASK_SUBMITTED, 0, Map.of("priority", 70))
                .then(stored(EventType.TASK_QUEUED, 1, Map.of()))
                .then(stored(EventType.TASK_ASSIGNED, 2, Map.of()));

        assertThat(change.state()).isEqualTo("TASK_ASSIGNED");
        assertThat(change.ended()).isFalse();
        assertThat(change.priority()).isEqualTo(70);
        assertThat(change.seq()).isEqualTo(3);
        assertThat(change.startedAt()).isNull();
    }

    @Test
    void anEventStampedEarlierDoesNotWinButItsStartCounts() {
        TaskChange change = stored(EventType.TASK_ASSIGNED, 5, Map.of())
                .then(stored(EventType.TASK_STARTED, 3, Map.of()));

        assertThat(change.state()).isEqualTo("TASK_ASSIGNED");
        assertThat(change.startedAt()).isEqualTo(EventRepository.utc(T0.plusMillis(3)));
    }

    @Test
    void anOutcomeWinsOverAnythingAndNothingWinsOverIt() {
        TaskChange change = stored(EventType.TASK_STARTED, 10, Map.of())
                .then(stored(EventType.TASK_COMPLETED, 5, Map.of("durationMs", 42)))
                .then(stored(EventType.TASK_QUEUED, 20, Map.of("priority", 3)))
                .then(stored(EventType.TASK_FAILED, 30, Map.of()));

        assertThat(change.state()).isEqualTo("TASK_COMPLETED");
        assertThat(change.ended()).isTrue();
        assertThat(change.durationMs()).isEqualTo(42);
        assertThat(change.priority()).isNull();
        assertThat(change.time()).isEqualTo(EventRepository.utc(T0.plusMillis(5)));
    }

    @Test
    void theLatestOfSeveralStartsIsKept() {
        TaskChange change = stored(EventType.TASK_STARTED, 8, Map.of())
                .then(stored(EventType.TASK_RETRIED, 9, Map.of()))
                .then(stored(EventType.TASK_STARTED, 4, Map.of()));

        assertThat(change.state()).isEqualTo("TASK_RETRIED");
        assertThat(change.startedAt()).isEqualTo(EventRepository.utc(T0.plusMillis(8)));
    }

    @Test
    void aTieOfTimesGoesToTheEventStoredLater() {
        TaskChange change = stored(EventType.TASK_QUEUED, 0, Map.of())
                .then(stored(EventType.TASK_ASSIGNED, 0, Map.of()));

        assertThat(change.state()).isEqualTo("TASK_ASSIGNED");
    }

    private TaskChange stored(EventType type, long millis, Map<String, Object> data) {
        Event event = new Event("event-" + seq.get(), type, type.defaultSeverity(), T0.plusMillis(millis), "test", null,
                "task-1", null, data);
        return TaskChange.of(new StoredEvent(event, seq.incrementAndGet()));
    }
}
