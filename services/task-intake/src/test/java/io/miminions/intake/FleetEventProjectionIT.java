package io.miminions.intake;

import static io.miminions.intake.IntakeFixtures.queueLength;
import static io.miminions.intake.IntakeFixtures.unfinished;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.miminions.intake.listener.FleetEventProjection;
import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.TaskStatus;
import io.miminions.model.Topics;
import io.miminions.model.api.TaskView;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The event projection applies a polled batch of {@code miminions.events} in one go: the batch is
 * handed to it as the connector would, so that the test decides what one batch holds.
 */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class FleetEventProjectionIT {

    @Inject
    FleetEventProjection projection;

    @Inject
    Pool pool;

    @Test
    void aBatchWithSeveralEventsOfOneTaskEndsItOnceAndAppliedAgainChangesNothing() throws Throwable {
        String ended = submit();
        String running = submit();
        long queued = queueLength(pool);
        List<String> batch = List.of(
                event(EventType.TASK_QUEUED, null, ended, Map.of("priority", 50)),
                event(EventType.TASK_ASSIGNED, "agent-a", ended, Map.of("attempt", 1)),
                event(EventType.TASK_STARTED, "agent-b", running, Map.of("attempt", 1)),
                "not an event",
                event(EventType.TASK_STARTED, "agent-a", ended, Map.of("attempt", 1)),
                event(EventType.TASK_COMPLETED, "agent-a", ended, Map.of("attempt", 1, "output", Map.of("answer", 42))),
                event(EventType.TASK_FAILED, "agent-a", ended, Map.of("attempt", 1, "errorType", "E", "errorMessage", "late")),
                event(EventType.TASK_ASSIGNED, "agent-b", running, Map.of("attempt", 1)),
                event(EventType.TASK_COMPLETED, "agent-c", UUID.randomUUID().toString(), Map.of("attempt", 1)));

        VertxContextSupport.subscribeAndAwait(() -> projection.apply(polled(batch)));

        TaskView endedView = view(ended);
        assertThat(endedView.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(endedView.output()).isEqualTo(Map.of("answer", 42));
        assertThat(endedView.error()).isNull();
        assertThat(endedView.attempt()).isEqualTo(1);
        assertThat(endedView.ranOnAgentId()).isEqualTo("agent-a");
        assertThat(endedView.startedAt()).isNotNull();
        TaskView runningView = view(running);
        assertThat(runningView.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(runningView.ranOnAgentId()).isEqualTo("agent-b");
        assertThat(queueLength(pool)).isEqualTo(queued - 1).isEqualTo(unfinished(pool));

        VertxContextSupport.subscribeAndAwait(() -> projection.apply(polled(batch)));

        assertThat(view(ended)).isEqualTo(endedView);
        assertThat(view(running)).isEqualTo(runningView);
        assertThat(queueLength(pool)).isEqualTo(queued - 1).isEqualTo(unfinished(pool));
    }

    @Test
    void whatAnEarlierBatchSetIsKeptByALaterOneThatDoesNotSayIt() throws Throwable {
        String taskId = submit();

        VertxContextSupport.subscribeAndAwait(() -> projection.apply(polled(List.of(
                event(EventType.TASK_STARTED, "agent-a", taskId, Map.of("attempt", 1))))));
        TaskView started = view(taskId);
        VertxContextSupport.subscribeAndAwait(() -> projection.apply(polled(List.of(
                event(EventType.TASK_CANCELLED, null, taskId, Map.of("reason", "CANCEL_REQUESTED"))))));

        TaskView cancelled = view(taskId);
        assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(cancelled.error()).isEqualTo("CANCEL_REQUESTED");
        assertThat(cancelled.ranOnAgentId()).isEqualTo("agent-a");
        assertThat(cancelled.startedAt()).isEqualTo(started.startedAt());
        assertThat(cancelled.attempt()).isEqualTo(1);
        assertThat(cancelled.output()).isNull();
        assertThat(cancelled.updatedAt()).isAfterOrEqualTo(started.updatedAt());
    }

    /** The values as one polled batch of {@code miminions.events}, without type headers: the projection parses each. */
    private static ConsumerRecords<String, String> polled(List<String> values) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (String value : values) {
            records.add(new ConsumerRecord<>(Topics.EVENTS, 0, records.size(), null, value));
        }
        return new ConsumerRecords<>(Map.of(new TopicPartition(Topics.EVENTS, 0), records), Map.of());
    }

    private static String event(EventType type, String agentId, String taskId, Map<String, Object> data) {
        return Json.write(Event.of(type, "test", agentId, taskId, data));
    }

    private static String submit() {
        return given().contentType("application/json").body("{\"name\":\"projected\"}").post("/tasks")
                .then().statusCode(201).extract().path("taskId");
    }

    private static TaskView view(String taskId) {
        return given().get("/tasks/" + taskId).then().statusCode(200).extract().as(TaskView.class);
    }
}
