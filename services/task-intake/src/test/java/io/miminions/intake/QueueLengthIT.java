package io.miminions.intake;

import static io.miminions.intake.IntakeFixtures.RELAYED;
import static io.miminions.intake.IntakeFixtures.awaitEventsApplied;
import static io.miminions.intake.IntakeFixtures.endAs;
import static io.miminions.intake.IntakeFixtures.publish;
import static io.miminions.intake.IntakeFixtures.queueLength;
import static io.miminions.intake.IntakeFixtures.unfinished;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.intake.repository.IntakeTasks;
import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.EventType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The queue length task-intake keeps in {@code intake.queue} against a count of its unfinished
 * tasks: equal after acceptances on both paths, after final statuses (repeated ones and later events
 * included), and after the start-up step that sets it.
 */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class QueueLengthIT {

    @Inject
    Pool pool;

    @Inject
    IntakeTasks tasks;

    @Test
    void theQueueLengthFollowsAcceptancesAndFinalStatusesExactly() {
        long before = unfinished(pool);
        assertThat(queueLength(pool)).isEqualTo(before);

        List<String> rest = List.of(submit(), submit(), submit());
        List<String> kafka = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        kafka.forEach(id -> publish(id, ("{\"taskId\":\"" + id + "\",\"name\":\"counted\"}").getBytes(StandardCharsets.UTF_8)));
        await().atMost(RELAYED).until(() -> unfinished(pool) == before + 5);
        assertThat(queueLength(pool)).isEqualTo(before + 5);

        endAs(rest.get(0), EventType.TASK_COMPLETED, Map.of("attempt", 1, "output", Map.of()));
        endAs(rest.get(0), EventType.TASK_TIMED_OUT, Map.of("attempt", 1, "reason", "TIMED_OUT"));
        endAs(rest.get(1), EventType.TASK_FAILED, Map.of("attempt", 1, "errorType", "E", "errorMessage", "boom"));
        endAs(kafka.get(0), EventType.TASK_CANCELLED, Map.of("reason", "CANCEL_REQUESTED"));
        endAs(kafka.get(0), EventType.TASK_CANCELLED, Map.of("reason", "CANCEL_REQUESTED"));
        endAs(rest.get(2), EventType.TASK_STARTED, Map.of("attempt", 1));
        awaitEventsApplied();
        assertThat(unfinished(pool)).isEqualTo(before + 2);
        assertThat(queueLength(pool)).isEqualTo(before + 2);

        endAs(rest.get(2), EventType.TASK_CANCELLED, Map.of("reason", "CANCEL_REQUESTED"));
        endAs(kafka.get(1), EventType.TASK_CANCELLED, Map.of("reason", "CANCEL_REQUESTED"));
        awaitEventsApplied();
        assertThat(unfinished(pool)).isEqualTo(before);
        assertThat(queueLength(pool)).isEqualTo(before);
    }

    @Test
    void theStartUpStepSetsTheQueueLengthFromTheTasks() {
        pool.query("UPDATE intake.queue SET unfinished = unfinished + 7").execute().await().atMost(RELAYED);
        tasks.prepare().await().atMost(RELAYED);
        assertThat(queueLength(pool)).isEqualTo(unfinished(pool));

        // A database of a version without the queue row
        pool.query("DROP TABLE intake.queue").execute().await().atMost(RELAYED);
        tasks.prepare().await().atMost(RELAYED);
        assertThat(queueLength(pool)).isEqualTo(unfinished(pool));
        submit();
        assertThat(queueLength(pool)).isEqualTo(unfinished(pool));
    }

    private static String submit() {
        return given().contentType("application/json").body("{\"name\":\"counted\"}").post("/tasks")
                .then().statusCode(201).extract().path("taskId");
    }
}
