package io.miminions.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.localfleet.FleetInfrastructure;
import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.AcceptedTask;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import io.miminions.scheduler.FleetClient.TopicReader;
import io.miminions.scheduler.service.TaskScheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler against a real Kafka broker and a real PostgreSQL, its outbox relayed by Debezium:
 * tasks and events go in on the topics; assignments, events and rows come out.
 */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class TaskSchedulingTest {

    private static FleetClient fleet;

    @Inject
    Pool pool;

    @Inject
    TaskScheduler scheduler;

    @TestHTTPResource("/q/health/ready")
    URI readiness;

    @BeforeAll
    static void connect() {
        fleet = new FleetClient(FleetInfrastructure.shared().kafkaBootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        fleet.close();
    }

    @Test
    void aTaskIsQueuedThenAssignedToItsRunningAgentAndItsCompletionIsRecorded() {
        String agent = startAgent();
        AcceptedTask task = task(30, List.of(), agent);
        fleet.publish(task);

        try (TopicReader assignments = fleet.read(Topics.agentTopic(agent)); TopicReader events = fleet.read(Topics.EVENTS)) {
            await().atMost(FleetClient.PATIENCE).until(() -> !assignments.records().isEmpty());
            ConsumerRecord<String, String> record = assignments.records().getFirst();
            Assignment assignment = Json.read(record.value(), Assignment.class);
            assertThat(record.key()).isEqualTo(task.taskId());
            assertThat(record.headers().lastHeader(Topics.ID_HEADER)).isNotNull();
            assertThat(assignment.taskId()).isEqualTo(task.taskId());
            assertThat(assignment.attempt()).isEqualTo(1);
            assertThat(assignment.agentId()).isEqualTo(agent);
            assertThat(assignment.name()).isEqualTo(task.name());
            assertThat(assignment.input()).isEqualTo(task.input());
            assertThat(assignment.priority()).isEqualTo(30);
            assertThat(assignment.timeoutSeconds()).isEqualTo(task.timeoutSeconds());

            await().atMost(FleetClient.PATIENCE).until(() -> schedulerEvents(events, task.taskId()).size() >= 2);
            List<ConsumerRecord<String, String>> announced = schedulerEvents(events, task.taskId());
            List<Event> announcements = announced.stream().map(r -> Json.read(r.value(), Event.class)).toList();
            assertThat(announcements).extracting(Event::type).containsExactly(EventType.TASK_QUEUED, EventType.TASK_ASSIGNED);
            assertThat(announcements.getLast().agentId()).isEqualTo(agent);
            assertThat(announcements.getLast().data()).containsEntry("attempt", 1);
            assertThat(announced).allSatisfy(r -> assertThat(r.key()).isEqualTo(task.taskId()));
            assertThat(announced).allSatisfy(r -> assertThat(new String(r.headers().lastHeader(Topics.ID_HEADER).value(),
                    StandardCharsets.UTF_8)).isEqualTo(Json.read(r.value(), Event.class).eventId()));
        }
        Row assigned = row(task.taskId());
        assertThat(assigned.getString("status")).isEqualTo("ASSIGNED");
        assertThat(assigned.getInteger("attempt")).isEqualTo(1);
        assertThat(assigned.getString("assigned_agent")).isEqualTo(agent);
        assertThat(assigned.getInteger("priority")).isEqualTo(30);

        fleet.publish(outcome(EventType.TASK_FAILED, agent, task, 2, Map.of("errorType", "Stale", "errorMessage", "not the current attempt")));
        fleet.publish(outcome(EventType.TASK_COMPLETED, agent, task, 1, Map.of("output", Map.of("sum", 3), "durationMs", 5)));

        await().atMost(FleetClient.PATIENCE).until(() -> "COMPLETED".equals(row(task.taskId()).getString("status")));
        Row completed = row(task.taskId());
        assertThat(Json.read(completed.getString("output"), Map.class)).isEqualTo(Map.of("sum", 3));
        assertThat(completed.getString("error")).isNull();
        assertThat(completed.getInteger("attempt")).isEqualTo(1);
        assertThat(agentStatus(agent)).isEqualTo("RUNNING");
    }

    @Test
    void aTaskWaitsForItsDependencyToCompleteBeforeItIsAssigned() {
        String firstAgent = startAgent();
        String secondAgent = startAgent();
        AcceptedTask first = task(40, List.of(), firstAgent);
        AcceptedTask second = task(10, List.of(first.taskId()), secondAgent);
        fleet.publish(first);
        fleet.publish(second);

        await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(first.taskId())) && statusOf(second.taskId()) != null);
        assertThat(statusOf(second.taskId())).as("a task whose dependency has not completed").isEqualTo("PENDING");

        fleet.publish(outcome(EventType.TASK_COMPLETED, firstAgent, first, 1, Map.of("output", "first done")));

        try (TopicReader assignments = fleet.read(Topics.agentTopic(secondAgent))) {
            await().atMost(FleetClient.PATIENCE).until(() -> !assignments.records().isEmpty());
            assertThat(assignments.values(Assignment.class)).extracting(Assignment::taskId).containsExactly(second.taskId());
        }
        assertThat(statusOf(first.taskId())).isEqualTo("COMPLETED");
        assertThat(statusOf(second.taskId())).isEqualTo("ASSIGNED");
    }

    @Test
    void aTaskReceivedAgainIsStoredOnceWhetherUnfinishedOrFinished() {
        String agent = startAgent();
        AcceptedTask task = task(60, List.of(), agent);
        fleet.publish(task);
        await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(task.taskId())));

        fleet.publish(task);
        awaitProcessed(60);
        assertThat(row(task.taskId()).getInteger("attempt")).isEqualTo(1);
        assertThat(statusOf(task.taskId())).isEqualTo("ASSIGNED");

        fleet.publish(outcome(EventType.TASK_COMPLETED, agent, task, 1, Map.of("output", 1)));
        await().atMost(FleetClient.PATIENCE).until(() -> "COMPLETED".equals(statusOf(task.taskId())));

        fleet.publish(task);
        awaitProcessed(60);
        Row row = row(task.taskId());
        assertThat(row.getString("status")).isEqualTo("COMPLETED");
        assertThat(row.getInteger("attempt")).isEqualTo(1);
        assertThat(rows("SELECT count(*) AS n FROM scheduler.tasks WHERE task_id = $1", task.taskId()).iterator().next().getLong("n"))
                .isEqualTo(1);
    }

    @Test
    void aRestoredSchedulerCarriesOnFromItsTables() {
        String agent = startAgent();
        AcceptedTask held = task(20, List.of(), agent);
        AcceptedTask waiting = task(20, List.of(), agent);
        fleet.publish(held);
        fleet.publish(waiting);
        await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(held.taskId())) && "QUEUED".equals(statusOf(waiting.taskId())));

        scheduler.restore();
        assertThat(statusOf(waiting.taskId())).as("a task whose agent is still busy after the restore").isEqualTo("QUEUED");

        fleet.publish(outcome(EventType.TASK_COMPLETED, agent, held, 1, Map.of("output", "held done")));
        await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(waiting.taskId())));
        assertThat(statusOf(held.taskId())).isEqualTo("COMPLETED");

        AcceptedTask later = task(20, List.of(), agent);
        fleet.publish(later);
        await().atMost(FleetClient.PATIENCE).until(() -> "QUEUED".equals(statusOf(later.taskId())));
        assertThat(row(later.taskId()).getLong("seq")).isGreaterThan(row(waiting.taskId()).getLong("seq"));
    }

    @Test
    void theServiceBecomesReady() {
        await().atMost(FleetClient.PATIENCE).untilAsserted(() -> {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"scheduler\"");
        });
    }

    /** Starts an agent as agent-host would and waits until the scheduler knows it runs. */
    private String startAgent() {
        String agent = "agent-" + UUID.randomUUID();
        fleet.publish(Event.of(EventType.AGENT_STARTED, "agent-host", agent, null, Map.of()));
        await().atMost(FleetClient.PATIENCE).until(() -> "RUNNING".equals(agentStatus(agent)));
        return agent;
    }

    /** Publishes a task for an agent that never runs, on this priority's partition, and waits until it is stored: so is everything before it. */
    private void awaitProcessed(int priority) {
        AcceptedTask marker = task(priority, List.of(), "absent-" + UUID.randomUUID());
        fleet.publish(marker);
        await().atMost(FleetClient.PATIENCE).until(() -> statusOf(marker.taskId()) != null);
    }

    private static AcceptedTask task(int priority, List<String> dependencies, String agentId) {
        String id = UUID.randomUUID().toString();
        return new AcceptedTask(id, "task " + id, Map.of("numbers", List.of(1, 2)), priority, dependencies, 30, agentId,
                Instant.now());
    }

    private static Event outcome(EventType type, String agent, AcceptedTask task, int attempt, Map<String, Object> data) {
        return Event.of(type, "agent-host", agent, task.taskId(), data).with("attempt", attempt);
    }

    private static List<ConsumerRecord<String, String>> schedulerEvents(TopicReader events, String taskId) {
        return events.records().stream()
                .filter(r -> taskId.equals(r.key()))
                .filter(r -> TaskScheduler.SOURCE.equals(Json.read(r.value(), Event.class).source()))
                .toList();
    }

    private String statusOf(String taskId) {
        RowSet<Row> rows = rows("SELECT status FROM scheduler.tasks WHERE task_id = $1", taskId);
        return rows.size() == 0 ? null : rows.iterator().next().getString("status");
    }

    private Row row(String taskId) {
        return rows("SELECT status, attempt, assigned_agent, priority, seq, output::text AS output, error "
                + "FROM scheduler.tasks WHERE task_id = $1", taskId).iterator().next();
    }

    private String agentStatus(String agentId) {
        RowSet<Row> rows = rows("SELECT status FROM scheduler.agents WHERE agent_id = $1", agentId);
        return rows.size() == 0 ? null : rows.iterator().next().getString("status");
    }

    private RowSet<Row> rows(String sql, String id) {
        return pool.preparedQuery(sql).execute(Tuple.of(id)).await().atMost(FleetClient.PATIENCE);
    }
}
