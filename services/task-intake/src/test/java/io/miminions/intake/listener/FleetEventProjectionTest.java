package io.miminions.intake.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.miminions.intake.IntakeTask;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.TaskStatus;
import io.miminions.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class FleetEventProjectionTest {

    private final IntakeTask task = pending();

    @Test
    void aTaskMovesForwardThroughItsAttempt() {
        apply(EventType.TASK_QUEUED, null, Map.of("priority", 5));
        apply(EventType.TASK_ASSIGNED, "a", Map.of("attempt", 1));
        apply(EventType.TASK_STARTED, "a", Map.of("attempt", 1));

        assertThat(task.status).isEqualTo(TaskStatus.RUNNING);
        assertThat(task.attempt).isEqualTo(1);
        assertThat(task.ranOnAgentId).isEqualTo("a");
        assertThat(task.startedAt).isNotNull();
    }

    @Test
    void anEarlierStatusOfTheSameAttemptArrivingLateChangesNothing() {
        apply(EventType.TASK_STARTED, "a", Map.of("attempt", 1));
        apply(EventType.TASK_ASSIGNED, "a", Map.of("attempt", 1));
        apply(EventType.TASK_QUEUED, null, Map.of());

        assertThat(task.status).isEqualTo(TaskStatus.RUNNING);
    }

    @Test
    void aRetryQueuesTheTaskAgainAndTheNextAttemptTakesOver() {
        apply(EventType.TASK_STARTED, "a", Map.of("attempt", 1));
        apply(EventType.TASK_RETRIED, "a", Map.of("attempt", 1, "reason", "EXECUTION_FAILED"));
        assertThat(task.status).isEqualTo(TaskStatus.QUEUED);

        apply(EventType.TASK_ASSIGNED, "b", Map.of("attempt", 2));
        apply(EventType.TASK_STARTED, "a", Map.of("attempt", 1));

        assertThat(task.status).isEqualTo(TaskStatus.ASSIGNED);
        assertThat(task.attempt).isEqualTo(2);
        assertThat(task.ranOnAgentId).isEqualTo("b");
    }

    @Test
    void aFinalStatusIsNeverLeft() {
        apply(EventType.TASK_COMPLETED, "a", Map.of("attempt", 1, "output", Map.of("x", 1)));
        apply(EventType.TASK_FAILED, "a", Map.of("attempt", 2, "errorType", "E", "errorMessage", "late"));
        apply(EventType.TASK_STARTED, "a", Map.of("attempt", 3));

        assertThat(task.status).isEqualTo(TaskStatus.COMPLETED);
        assertThat(task.output).isEqualTo(Map.of("x", 1));
        assertThat(task.error).isNull();
    }

    @Test
    void theErrorOfATaskThatDidNotCompleteSaysWhy() {
        assertThat(FleetEventProjection.describeError(Map.of("errorType", "java.lang.IllegalStateException", "errorMessage", "boom")))
                .isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(FleetEventProjection.describeError(Map.of("reason", "DEPENDENCY_FAILED", "dependencyId", "d",
                "errorMessage", "dependency d ended FAILED"))).isEqualTo("DEPENDENCY_FAILED: dependency d ended FAILED");
        assertThat(FleetEventProjection.describeError(Map.of("reason", "CANCEL_REQUESTED"))).isEqualTo("CANCEL_REQUESTED");
        assertThat(FleetEventProjection.describeError(Map.of())).isNull();
    }

    @Test
    void eventsOfABatchApplyInOrderAndEachChangedTaskIsAnsweredOnce() {
        IntakeTask other = pending();
        other.taskId = "u";
        List<Event> batch = List.of(
                Event.of(EventType.TASK_STARTED, "test", "a", "t", Map.of("attempt", 1)),
                Event.of(EventType.TASK_COMPLETED, "test", "a", "t", Map.of("attempt", 1, "output", Map.of())),
                Event.of(EventType.TASK_FAILED, "test", "a", "t", Map.of("attempt", 1, "errorType", "E", "errorMessage", "m")),
                Event.of(EventType.TASK_ASSIGNED, "test", "b", "u", Map.of("attempt", 1)),
                Event.of(EventType.TASK_CANCELLED, "test", null, "unknown", Map.of()));

        List<IntakeTask> changed = FleetEventProjection.applyInOrder(batch, Map.of("t", task, "u", other));

        assertThat(changed).containsExactly(task, other);
        assertThat(task.status).isEqualTo(TaskStatus.COMPLETED);
        assertThat(other.status).isEqualTo(TaskStatus.ASSIGNED);
        assertThat(FleetEventProjection.applyInOrder(batch, Map.of("t", task, "u", other))).isEmpty();
    }

    @Test
    void aLongErrorIsCutToWhatTheTaskRowKeeps() {
        apply(EventType.TASK_FAILED, "a", Map.of("attempt", 1, "errorType", "E", "errorMessage", "x".repeat(5000)));

        assertThat(task.status).isEqualTo(TaskStatus.FAILED);
        assertThat(task.error).hasSize(4000).startsWith("E: x");
    }

    private void apply(EventType type, String agentId, Map<String, Object> data) {
        Event event = Event.of(type, "test", agentId, task.taskId, new LinkedHashMap<>(data));
        FleetEventProjection.applyToTask(task, FleetEventProjection.taskStatusAfter(event.type()), event);
    }

    private static IntakeTask pending() {
        IntakeTask task = new IntakeTask();
        task.taskId = "t";
        task.status = TaskStatus.PENDING;
        task.attempt = 0;
        task.submittedAt = Instant.now();
        task.updatedAt = task.submittedAt;
        return task;
    }

    @Test
    void anEventWhoseHeaderNamesATypeTheProjectionDoesNotUseIsNotParsed() {
        assertThat(FleetEventProjection.readIfUsed(record("not even JSON", "TASK_SUBMITTED"))).isNull();
        assertThat(FleetEventProjection.readIfUsed(record("not even JSON", "TASK_ATTEMPT_ENDED"))).isNull();
        assertThat(FleetEventProjection.readIfUsed(record("not even JSON", "A_TYPE_OF_A_LATER_VERSION"))).isNull();
    }

    @Test
    void taskAndAgentEventsAreReadWithOrWithoutTheHeader() {
        Event started = Event.of(EventType.TASK_STARTED, "agent-host", "a", "t", Map.of("attempt", 1));
        Event paused = Event.of(EventType.AGENT_PAUSED, "agent-host", "a", null, Map.of());

        assertThat(FleetEventProjection.readIfUsed(record(Json.write(started), "TASK_STARTED"))).isEqualTo(started);
        assertThat(FleetEventProjection.readIfUsed(record(Json.write(paused), "AGENT_PAUSED"))).isEqualTo(paused);
        assertThat(FleetEventProjection.readIfUsed(record(Json.write(started), null))).isEqualTo(started);
        assertThat(FleetEventProjection.readIfUsed(record("not even JSON", null))).isNull();
    }

    private static ConsumerRecord<String, String> record(String value, String type) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.EVENTS, 0, 0L, "t", value);
        if (type != null) {
            record.headers().add(Topics.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }
}
