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
import io.miminions.model.TaskInterrupt;
import io.miminions.model.TaskReason;
import io.miminions.model.TaskStatus;
import io.miminions.model.Topics;
import io.miminions.observability.TraceHeaders;
import io.miminions.outbox.OutboxRelay;
import io.miminions.scheduler.FleetClient.TopicReader;
import io.miminions.scheduler.config.SchedulerConfig;
import io.miminions.scheduler.service.TaskScheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

    @Inject
    OutboxRelay relay;

    @Inject
    SchedulerConfig config;

    @TestHTTPResource("/q/health/ready")
    URI readiness;

    @TestHTTPResource("/q/metrics")
    URI metrics;

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
            assertThat(assignment.expiresAt()).as("the end of the attempt's first lease").isAfter(assignment.assignedAt());
            fleet.executing(agent, task.taskId(), 1);

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

        fleet.attemptEnded(agent, task.taskId(), 2, TaskStatus.FAILED, Map.of("errorType", "Stale", "errorMessage", "not the current attempt"));
        fleet.attemptEnded(agent, task.taskId(), 1, TaskStatus.COMPLETED, Map.of("output", Map.of("sum", 3), "durationMs", 5));

        await().atMost(FleetClient.PATIENCE).until(() -> "COMPLETED".equals(row(task.taskId()).getString("status")));
        Row completed = row(task.taskId());
        assertThat(Json.read(completed.getString("output"), Map.class)).isEqualTo(Map.of("sum", 3));
        assertThat(completed.getString("error")).isNull();
        assertThat(completed.getInteger("attempt")).isEqualTo(1);
        assertThat(agentStatus(agent)).isEqualTo("RUNNING");
        try (TopicReader events = fleet.read(Topics.EVENTS)) {
            await().atMost(FleetClient.PATIENCE).until(() -> schedulerEvents(events, task.taskId()).size() >= 3);
            Event outcome = Json.read(schedulerEvents(events, task.taskId()).get(2).value(), Event.class);
            assertThat(outcome.type()).isEqualTo(EventType.TASK_COMPLETED);
            assertThat(outcome.agentId()).isEqualTo(agent);
            assertThat(outcome.data()).isEqualTo(Map.of("attempt", 1, "output", Map.of("sum", 3), "durationMs", 5));
        }
    }

    @Test
    void aStepsRecordsReachKafkaRightAfterItsCommitAndTheRelayDoesNotSendThemAgain() {
        String agent = startAgent();
        AcceptedTask task = task(30, List.of(), agent);
        AcceptedTask next = task(30, List.of(), agent);
        boolean relayStopped = true;
        relay.stop();
        try (TopicReader assignments = fleet.read(Topics.agentTopic(agent))) {
            fleet.publish(task);
            await().atMost(FleetClient.PATIENCE).until(() -> !assignments.records().isEmpty());
            assertThat(assignments.values(Assignment.class)).extracting(Assignment::taskId)
                    .as("sent while the outbox relay is stopped").containsExactly(task.taskId());

            relay.start();
            relayStopped = false;
            fleet.publish(next);
            fleet.executing(agent, task.taskId(), 1);
            fleet.attemptEnded(agent, task.taskId(), 1, TaskStatus.COMPLETED, Map.of());
            await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(next.taskId())));
            String written = pool.query("SELECT pg_current_wal_lsn()::text AS lsn").execute().await().atMost(FleetClient.PATIENCE)
                    .iterator().next().getString("lsn");
            await().atMost(FleetClient.PATIENCE).until(() -> rows("SELECT confirmed_flush_lsn >= $1::pg_lsn AS relayed "
                    + "FROM pg_replication_slots WHERE slot_name = '" + config.outbox().relayName() + "_outbox'", written)
                    .iterator().next().getBoolean("relayed"));

            assertThat(assignments.values(Assignment.class)).extracting(Assignment::taskId)
                    .as("the relay met both assignments in the WAL and sent neither again")
                    .containsExactly(task.taskId(), next.taskId());
        } finally {
            if (relayStopped) {
                relay.start();
            }
        }
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
        fleet.executing(firstAgent, first.taskId(), 1);
        assertThat(statusOf(second.taskId())).as("a task whose dependency has not completed").isEqualTo("PENDING");

        fleet.attemptEnded(firstAgent, first.taskId(), 1, TaskStatus.COMPLETED, Map.of("output", "first done"));

        try (TopicReader assignments = fleet.read(Topics.agentTopic(secondAgent))) {
            await().atMost(FleetClient.PATIENCE).until(() -> !assignments.records().isEmpty());
            assertThat(assignments.values(Assignment.class)).extracting(Assignment::taskId).containsExactly(second.taskId());
        }
        assertThat(statusOf(first.taskId())).isEqualTo("COMPLETED");
        assertThat(statusOf(second.taskId())).isEqualTo("ASSIGNED");
    }

    @Test
    void tasksPublishedTogetherEachDependingOnTheOneBeforeRunOneAfterAnotherOnceEach() {
        String agent = startAgent();
        List<AcceptedTask> chain = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            chain.add(task(70, i == 0 ? List.of() : List.of(chain.getLast().taskId()), agent));
        }
        List<AcceptedTask> published = new ArrayList<>(chain);
        published.add(10, chain.get(3));
        fleet.publishTogether(published);

        try (TopicReader assignments = fleet.read(Topics.agentTopic(agent))) {
            for (int i = 0; i < chain.size(); i++) {
                int assignedSoFar = i + 1;
                await().atMost(FleetClient.PATIENCE).until(() -> assignments.records().size() >= assignedSoFar);
                assertThat(assignments.values(Assignment.class)).extracting(Assignment::taskId)
                        .as("each task is assigned once the one before it completed, not earlier")
                        .containsExactlyElementsOf(chain.subList(0, assignedSoFar).stream().map(AcceptedTask::taskId).toList());
                String taskId = chain.get(i).taskId();
                fleet.executing(agent, taskId, 1);
                fleet.attemptEnded(agent, taskId, 1, TaskStatus.COMPLETED, Map.of("output", i));
            }
        }
        await().atMost(FleetClient.PATIENCE).until(() -> "COMPLETED".equals(statusOf(chain.getLast().taskId())));
        assertThat(chain).allSatisfy(task -> {
            assertThat(row(task.taskId()).getString("status")).isEqualTo("COMPLETED");
            assertThat(row(task.taskId()).getInteger("attempt")).as("one attempt, though one task arrived twice").isEqualTo(1);
        });
    }

    @Test
    void aTaskArrivingInTheStepThatCompletesItsDependencyIsQueued() {
        String agent = startAgent();
        String other = startAgent();
        AcceptedTask dependency = task(20, List.of(), agent);
        AcceptedTask blocker = task(20, List.of(), other);
        fleet.publish(dependency);
        fleet.publish(blocker);
        await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(dependency.taskId()))
                && "ASSIGNED".equals(statusOf(blocker.taskId())));
        AcceptedTask dependant = task(20, List.of(dependency.taskId()), agent);

        // Hold the blocker's row, so the step that starts it waits to commit; what arrives meanwhile is one step.
        SqlConnection holder = pool.getConnection().await().atMost(FleetClient.PATIENCE);
        try {
            Transaction held = holder.begin().await().atMost(FleetClient.PATIENCE);
            holder.preparedQuery("SELECT 1 FROM scheduler.tasks WHERE task_id = $1 FOR UPDATE").execute(Tuple.of(blocker.taskId()))
                    .await().atMost(FleetClient.PATIENCE);
            scheduler.record(List.of(Event.of(EventType.TASK_STARTED, "agent-host", other, blocker.taskId(), Map.of("attempt", 1))))
                    .subscribeAsCompletionStage();
            await().atMost(FleetClient.PATIENCE).until(() -> pool.query("SELECT count(*) AS n FROM pg_locks WHERE NOT granted").execute()
                    .await().atMost(FleetClient.PATIENCE).iterator().next().getLong("n") > 0);
            scheduler.record(List.of(Event.of(EventType.TASK_ATTEMPT_ENDED, "agent-host", agent, dependency.taskId(),
                    Map.of("attempt", 1, "outcome", "COMPLETED")))).subscribeAsCompletionStage();
            scheduler.accept(List.of(new TaskScheduler.Arrival(dependant, null))).subscribeAsCompletionStage();
            held.rollback().await().atMost(FleetClient.PATIENCE);
        } finally {
            holder.close().await().atMost(FleetClient.PATIENCE);
        }

        await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(dependant.taskId())));
        assertThat(statusOf(dependency.taskId())).isEqualTo("COMPLETED");
    }

    @Test
    void aTaskReceivedAgainIsStoredOnceWhetherUnfinishedOrFinished() {
        String agent = startAgent();
        AcceptedTask task = task(60, List.of(), agent);
        fleet.publish(task);
        await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(task.taskId())));
        fleet.executing(agent, task.taskId(), 1);

        fleet.publish(task);
        awaitProcessed(60);
        assertThat(row(task.taskId()).getInteger("attempt")).isEqualTo(1);
        assertThat(statusOf(task.taskId())).isEqualTo("ASSIGNED");

        fleet.attemptEnded(agent, task.taskId(), 1, TaskStatus.COMPLETED, Map.of("output", 1));
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
        fleet.executing(agent, held.taskId(), 1);

        scheduler.restore();
        assertThat(statusOf(waiting.taskId())).as("a task whose agent is still busy after the restore").isEqualTo("QUEUED");

        fleet.attemptEnded(agent, held.taskId(), 1, TaskStatus.COMPLETED, Map.of("output", "held done"));
        await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(waiting.taskId())));
        assertThat(statusOf(held.taskId())).isEqualTo("COMPLETED");

        AcceptedTask later = task(20, List.of(), agent);
        fleet.publish(later);
        await().atMost(FleetClient.PATIENCE).until(() -> "QUEUED".equals(statusOf(later.taskId())));
        assertThat(row(later.taskId()).getLong("seq")).isGreaterThan(row(waiting.taskId()).getLong("seq"));
    }

    @Test
    void underContentionTasksStartInPriorityThenSubmissionOrderWhicheverPartitionTheyCameFrom() {
        String agent = startAgent();
        AcceptedTask blocker = numbered(0, 0, agent);
        fleet.publish(blocker);
        await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(blocker.taskId())));
        fleet.executing(agent, blocker.taskId(), 1);

        Random random = new Random(42);
        List<AcceptedTask> tasks = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            tasks.add(numbered(random.nextInt(101), i, agent));
        }
        List<AcceptedTask> published = new ArrayList<>(tasks);
        Collections.shuffle(published, random);
        published.forEach(fleet::publish);
        await().atMost(FleetClient.PATIENCE).until(() -> tasks.stream().allMatch(t -> "QUEUED".equals(statusOf(t.taskId()))));

        List<String> started = new ArrayList<>();
        try (TopicReader assignments = fleet.read(Topics.agentTopic(agent))) {
            fleet.attemptEnded(agent, blocker.taskId(), 1, TaskStatus.COMPLETED, Map.of());
            while (started.size() < tasks.size()) {
                int seen = started.size() + 1;
                await().atMost(FleetClient.PATIENCE).until(() -> assignments.values(Assignment.class).size() > seen);
                Assignment next = assignments.values(Assignment.class).get(seen);
                started.add(next.taskId());
                fleet.executing(agent, next.taskId(), next.attempt());
                fleet.attemptEnded(agent, next.taskId(), next.attempt(), TaskStatus.COMPLETED, Map.of());
            }
        }
        List<String> expected = tasks.stream()
                .sorted(Comparator.comparingInt(AcceptedTask::priority).thenComparingLong(AcceptedTask::submissionSeq))
                .map(AcceptedTask::taskId)
                .toList();
        assertThat(started).containsExactlyElementsOf(expected);
    }

    @Test
    void aFailureFailsTheDependantsThroughTheOutboxAndATaskWhoseDependencyFailedLongAgoFailsOnArrival() {
        String agent = startAgent();
        AcceptedTask root = task(50, List.of(), agent);
        AcceptedTask child = task(50, List.of(root.taskId()), agent);
        fleet.publish(root);
        fleet.publish(child);
        await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(root.taskId())) && "PENDING".equals(statusOf(child.taskId())));

        fleet.attemptEnded(agent, root.taskId(), 1, TaskStatus.FAILED, Map.of("errorType", "java.io.IOException", "errorMessage", "disk full"));

        await().atMost(FleetClient.PATIENCE).until(() -> "FAILED".equals(statusOf(child.taskId())));
        assertThat(row(child.taskId()).getString("error")).isEqualTo("DEPENDENCY_FAILED: dependency " + root.taskId() + " ended FAILED");
        AcceptedTask late = task(50, List.of(child.taskId()), agent);
        fleet.publish(late);
        await().atMost(FleetClient.PATIENCE).until(() -> "FAILED".equals(statusOf(late.taskId())));
        try (TopicReader events = fleet.read(Topics.EVENTS)) {
            await().atMost(FleetClient.PATIENCE).until(() -> eventsOf(events, late.taskId()).size() == 1);
            assertThat(eventsOf(events, root.taskId())).extracting(Event::type).endsWith(EventType.TASK_FAILED);
            assertThat(eventsOf(events, root.taskId()).getLast().data()).containsEntry("errorType", "java.io.IOException");
            assertThat(eventsOf(events, child.taskId())).singleElement().satisfies(e -> assertThat(e.data())
                    .containsEntry("reason", "DEPENDENCY_FAILED").containsEntry("dependencyId", root.taskId()));
            assertThat(eventsOf(events, late.taskId()).getFirst().data()).containsEntry("dependencyId", root.taskId());
        }
    }

    @Test
    void anAttemptWhoseHostStopsBeatingIsInterruptedAndRunsAgainOnAnotherAgent() {
        startAgent();
        startAgent();
        AcceptedTask task = task(50, List.of(), null);
        fleet.publish(task);
        await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(task.taskId())));
        String holder = row(task.taskId()).getString("assigned_agent");
        fleet.executing(holder, task.taskId(), 1);
        fleet.publish(Event.of(EventType.TASK_STARTED, "agent-host", holder, task.taskId(), Map.of("attempt", 1)));
        await().atMost(FleetClient.PATIENCE).until(() -> "RUNNING".equals(statusOf(task.taskId())));

        fleet.kill(holder);

        await().atMost(FleetClient.PATIENCE).until(() -> row(task.taskId()).getInteger("attempt") == 2);
        String successor = row(task.taskId()).getString("assigned_agent");
        assertThat(successor).isNotEqualTo(holder);
        try (TopicReader interrupts = fleet.read(Topics.TASK_INTERRUPTS); TopicReader events = fleet.read(Topics.EVENTS)) {
            await().atMost(FleetClient.PATIENCE).until(() -> !interruptsOf(interrupts, task.taskId()).isEmpty());
            assertThat(interruptsOf(interrupts, task.taskId())).singleElement().satisfies(i -> {
                assertThat(i.attempt()).isEqualTo(1);
                assertThat(i.agentId()).isEqualTo(holder);
                assertThat(i.reason()).isEqualTo(TaskReason.LEASE_EXPIRED);
            });
            await().atMost(FleetClient.PATIENCE).until(() -> eventsOf(events, task.taskId()).size() >= 5);
            assertThat(eventsOf(events, task.taskId())).extracting(Event::type).containsExactly(EventType.TASK_QUEUED,
                    EventType.TASK_ASSIGNED, EventType.TASK_RETRIED, EventType.TASK_QUEUED, EventType.TASK_ASSIGNED);
        }
        fleet.executing(successor, task.taskId(), 2);
        fleet.attemptEnded(holder, task.taskId(), 1, TaskStatus.COMPLETED, Map.of("output", "from the presumed dead"));
        fleet.attemptEnded(successor, task.taskId(), 2, TaskStatus.COMPLETED, Map.of("output", "from the successor"));
        await().atMost(FleetClient.PATIENCE).until(() -> "COMPLETED".equals(statusOf(task.taskId())));
        assertThat(row(task.taskId()).getString("output")).isEqualTo("\"from the successor\"");
    }

    @Test
    void aCancelRequestCancelsARunningTaskOnItsAgentAndATaskThatHasNotArrivedYetOnArrival() {
        String agent = startAgent();
        AcceptedTask running = task(50, List.of(), agent);
        fleet.publish(running);
        await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(running.taskId())));
        fleet.executing(agent, running.taskId(), 1);

        fleet.publish(Event.of(EventType.TASK_CANCEL_REQUESTED, "task-intake", null, running.taskId(), Map.of("reason", "CANCEL_REQUESTED")));

        await().atMost(FleetClient.PATIENCE).until(() -> "CANCELLED".equals(statusOf(running.taskId())));
        try (TopicReader interrupts = fleet.read(Topics.TASK_INTERRUPTS)) {
            await().atMost(FleetClient.PATIENCE).until(() -> !interruptsOf(interrupts, running.taskId()).isEmpty());
            assertThat(interruptsOf(interrupts, running.taskId())).singleElement()
                    .isEqualTo(new TaskInterrupt(running.taskId(), 1, agent, TaskReason.CANCEL_REQUESTED,
                            interruptsOf(interrupts, running.taskId()).getFirst().issuedAt()));
        }

        AcceptedTask early = task(50, List.of(), agent);
        fleet.publish(Event.of(EventType.TASK_CANCEL_REQUESTED, "task-intake", null, early.taskId(), Map.of("reason", "CANCEL_REQUESTED")));
        await().atMost(FleetClient.PATIENCE).until(() -> rows("SELECT task_id FROM scheduler.cancel_requests WHERE task_id = $1",
                early.taskId()).size() == 1);
        fleet.publish(early);
        await().atMost(FleetClient.PATIENCE).until(() -> "CANCELLED".equals(statusOf(early.taskId())));
        assertThat(rows("SELECT task_id FROM scheduler.cancel_requests WHERE task_id = $1", early.taskId()).size()).isZero();
        try (TopicReader events = fleet.read(Topics.EVENTS)) {
            await().atMost(FleetClient.PATIENCE).until(() -> eventsOf(events, early.taskId()).size() == 1);
            assertThat(eventsOf(events, early.taskId()).getFirst().type()).isEqualTo(EventType.TASK_CANCELLED);
        }
    }

    @Test
    void theServiceBecomesReady() {
        await().atMost(FleetClient.PATIENCE).untilAsserted(() -> {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"scheduler\"", "\"kafka\"", "Reactive PostgreSQL");
        });
    }

    @Test
    void whatTheSchedulerWritesAboutATaskContinuesTheTraceTheTaskArrivedWith() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parent = "00-" + traceId + "-00f067aa0ba902b7-01";
        String agent = startAgent();
        AcceptedTask task = task(40, List.of(), agent);
        fleet.publish(task, parent);

        try (TopicReader assignments = fleet.read(Topics.agentTopic(agent)); TopicReader events = fleet.read(Topics.EVENTS)) {
            await().atMost(FleetClient.PATIENCE).until(() -> !assignments.records().isEmpty());
            fleet.attemptEnded(agent, task.taskId(), 1, TaskStatus.COMPLETED, Map.of("output", "traced", "durationMs", 25));
            await().atMost(FleetClient.PATIENCE).until(() -> schedulerEvents(events, task.taskId()).size() >= 3);

            List<ConsumerRecord<String, String>> written = new ArrayList<>(schedulerEvents(events, task.taskId()));
            assertThat(written).extracting(r -> Json.read(r.value(), Event.class).type())
                    .containsExactly(EventType.TASK_QUEUED, EventType.TASK_ASSIGNED, EventType.TASK_COMPLETED);
            written.add(assignments.records().getFirst());
            assertThat(written).allSatisfy(r -> {
                assertThat(TraceHeaders.traceId(r.headers())).isEqualTo(traceId);
                assertThat(new String(r.headers().lastHeader(TraceHeaders.TRACEPARENT).value(), StandardCharsets.UTF_8))
                        .as("a span of the scheduler, child of the task's").isNotEqualTo(parent);
            });
        }
        assertThat(rows("SELECT traceparent FROM scheduler.tasks WHERE task_id = $1", task.taskId()).iterator().next()
                .getString("traceparent")).isEqualTo(parent);
    }

    @Test
    void metricsShowOutcomesDurationsQueueDepthStepTimesOutboxLagAndConsumerLag() {
        String agent = startAgent();
        AcceptedTask task = task(70, List.of(), agent);
        fleet.publish(task);
        await().atMost(FleetClient.PATIENCE).until(() -> "ASSIGNED".equals(statusOf(task.taskId())));
        fleet.attemptEnded(agent, task.taskId(), 1, TaskStatus.COMPLETED, Map.of("output", "metered", "durationMs", 40));
        await().atMost(FleetClient.PATIENCE).until(() -> "COMPLETED".equals(statusOf(task.taskId())));

        await().atMost(FleetClient.PATIENCE).untilAsserted(() -> {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains(
                    "miminions_tasks_ended_total{outcome=\"COMPLETED\"}",
                    "miminions_tasks_ended_total{outcome=\"TIMED_OUT\"} ",
                    "miminions_task_duration_seconds_bucket{outcome=\"COMPLETED\"",
                    "miminions_scheduler_queue_depth{priority_band=\"0\"}",
                    "miminions_scheduler_queue_depth{priority_band=\"9\"}",
                    "miminions_outbox_lag_seconds_count{relay=",
                    "kafka_consumer_fetch_manager_records_lag_max{");
            assertThat(sample(response.body(), "miminions_tasks_ended_total{outcome=\"COMPLETED\"}")).isGreaterThanOrEqualTo(1.0);
            // the step that queued and assigned the task and the one that completed it, each with a transaction
            assertThat(sample(response.body(), "miminions_scheduler_input_wait_seconds_count")).isGreaterThanOrEqualTo(2.0);
            assertThat(sample(response.body(), "miminions_scheduler_step_seconds_count")).isGreaterThanOrEqualTo(2.0);
            assertThat(sample(response.body(), "miminions_scheduler_step_save_seconds_count")).isGreaterThanOrEqualTo(2.0);
            assertThat(sample(response.body(), "miminions_scheduler_step_save_seconds_sum")).isPositive();
        });
    }

    /** The value of the Prometheus sample whose name and labels are {@code series}. */
    private static double sample(String exposition, String series) {
        String line = exposition.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + series));
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    /** Starts an agent as agent-host would, keeps it alive, and waits until the scheduler knows it runs. */
    private String startAgent() {
        String agent = "agent-" + UUID.randomUUID();
        fleet.keepAlive(agent);
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

    private static AcceptedTask numbered(int priority, long submissionSeq, String agentId) {
        String id = UUID.randomUUID().toString();
        return new AcceptedTask(id, "task " + id, Map.of(), priority, List.of(), 30, agentId, Instant.now(), submissionSeq, null, null);
    }

    private static List<TaskInterrupt> interruptsOf(TopicReader interrupts, String taskId) {
        return interrupts.values(TaskInterrupt.class).stream().filter(i -> taskId.equals(i.taskId())).toList();
    }

    private static List<Event> eventsOf(TopicReader events, String taskId) {
        return schedulerEvents(events, taskId).stream().map(r -> Json.read(r.value(), Event.class)).toList();
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
