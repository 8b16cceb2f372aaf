package io.miminions.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.miminions.client.ApiException;
import io.miminions.client.QueueFullException;
import io.miminions.client.SubmissionRejectedException;
import io.miminions.client.TaskOptions;
import io.miminions.client.TaskTimeoutException;
import io.miminions.examples.Example02ConcurrentAgents;
import io.miminions.examples.Example03PrioritiesAndDependencies;
import io.miminions.examples.agents.FlakyAgent;
import io.miminions.examples.agents.WorkerAgent;
import io.miminions.localfleet.ServiceProcess;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Severity;
import io.miminions.model.TaskStatus;
import io.miminions.model.api.TaskView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Scheduling through the four services running as processes on a real broker and database: seed
 * examples 2 and 3, exact priorities, dependencies and their failures, retries, timeouts, the queue
 * limit, cancellation, and recovery from a killed agent host and a killed scheduler. One fleet for
 * all, with short leases; the examples run first, while their agents are the only ones, and the
 * kills last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulingEndToEndIT extends QuickFleetTest {

    private static final int QUEUE_LIMIT = 250;
    private static final Duration PATIENCE = Duration.ofSeconds(60);


    @BeforeAll
    static void startFleet() {
        startQuickFleet("scheduling", Map.of(
                "miminions.intake.max-task-queue-size", String.valueOf(QUEUE_LIMIT),
                "miminions.scheduler.timeout-grace", "2s",
                // A killed agent host leaves its control partitions once its session ends: soon, here.
                "kafka.session.timeout.ms", "6000",
                "kafka.heartbeat.interval.ms", "1000"));
    }

    @Test
    @Order(1)
    void exampleTwoSharesTwentyTasksAmongFiveAgents() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Example02ConcurrentAgents.Result result = Example02ConcurrentAgents.run(runtime, Duration.ofSeconds(2),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        System.out.print(printed.toString(StandardCharsets.UTF_8));
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).startsWith("Submitted 20 tasks to 5 agents", "Processed 20 tasks successfully");
        assertThat(lines.get(2)).startsWith("Makespan: ");
        assertThat(result.processed()).isEqualTo(20);
    }

    @Test
    @Order(2)
    void exampleThreeRunsTheChainInOrder() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        List<TaskView> started = Example03PrioritiesAndDependencies.run(runtime, Duration.ofMillis(300),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        System.out.print(printed.toString(StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("Execution order: ");
        List<String> order = started.stream().map(TaskView::name).toList();
        assertThat(order).containsSubsequence("download-data", "process-data", "upload-results").contains("cleanup");
        assertThat(started).allSatisfy(task -> assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED));
    }

    @Test
    @Order(3)
    void underContentionTwoHundredTasksStartInPriorityThenSubmissionOrder() {
        String agent = startAgent("ordered", WorkerAgent.class);
        String blocker = runtime.submitTask("blocker", Map.of("sleepMs", 600_000),
                TaskOptions.builder().priority(0).agentId(agent).build());
        await().atMost(PATIENCE).until(() -> runtime.getTask(blocker).status() == TaskStatus.RUNNING);

        Random random = new Random(7);
        List<String> submitted = new ArrayList<>();
        Map<String, Integer> priorities = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            int priority = random.nextInt(101);
            String taskId = runtime.submitTask("ordered-" + i, Map.of("sleepMs", 0),
                    TaskOptions.builder().priority(priority).agentId(agent).build());
            submitted.add(taskId);
            priorities.put(taskId, priority);
        }
        await().atMost(PATIENCE).until(() -> submitted.stream().allMatch(id -> runtime.getTask(id).status() == TaskStatus.QUEUED));

        runtime.cancelTask(blocker);

        assertThat(runtime.waitForTask(blocker, PATIENCE).status()).isEqualTo(TaskStatus.CANCELLED);
        submitted.forEach(id -> assertThat(runtime.waitForTask(id, PATIENCE).status()).isEqualTo(TaskStatus.COMPLETED));
        await().atMost(PATIENCE).until(() -> events.startOrder(submitted).size() == 200);
        List<String> startOrder = events.startOrder(submitted);
        List<String> expected = submitted.stream()
                .sorted(Comparator.comparingInt((String id) -> priorities.get(id)).thenComparingInt(submitted::indexOf))
                .toList();
        assertThat(startOrder).containsExactlyElementsOf(expected);
    }

    @Test
    @Order(4)
    void chainsAndDiamondsRunInDependencyOrder() {
        startAgent("graph-1", WorkerAgent.class);
        startAgent("graph-2", WorkerAgent.class);
        Map<String, Object> work = Map.of("sleepMs", 200);
        String a = runtime.submitTask("chain-a", work);
        String b = runtime.submitTask("chain-b", work, TaskOptions.builder().dependsOn(a).build());
        String c = runtime.submitTask("chain-c", work, TaskOptions.builder().dependsOn(b).build());
        String top = runtime.submitTask("diamond-top", work);
        String left = runtime.submitTask("diamond-left", work, TaskOptions.builder().dependsOn(top).build());
        String right = runtime.submitTask("diamond-right", work, TaskOptions.builder().dependsOn(top).build());
        String bottom = runtime.submitTask("diamond-bottom", work, TaskOptions.builder().priority(0).dependsOn(left, right).build());

        List<String> all = List.of(a, b, c, top, left, right, bottom);
        all.forEach(id -> assertThat(runtime.waitForTask(id, PATIENCE).status()).isEqualTo(TaskStatus.COMPLETED));
        Map<String, List<String>> edges = Map.of(b, List.of(a), c, List.of(b), left, List.of(top), right, List.of(top),
                bottom, List.of(left, right));
        await().atMost(PATIENCE).untilAsserted(() -> edges.forEach((dependant, dependencies) -> dependencies.forEach(dependency -> {
            Event ended = single(dependency, EventType.TASK_ATTEMPT_ENDED);
            Event started = single(dependant, EventType.TASK_STARTED);
            assertThat(started.time()).as("%s starts after %s ended", dependant, dependency).isAfterOrEqualTo(ended.time());
        })));
    }

    @Test
    @Order(5)
    void aFailureFailsItsDependantsTransitivelyAndARetryPolicyRetriesUntilASuccess() {
        String flaky = startAgent("flaky", FlakyAgent.class);
        String root = runtime.submitTask("doomed", Map.of(), TaskOptions.builder().agentId(flaky).build());
        String child = runtime.submitTask("child", Map.of(), TaskOptions.builder().dependsOn(root).build());
        String grandchild = runtime.submitTask("grandchild", Map.of(), TaskOptions.builder().dependsOn(child).build());

        TaskView failed = runtime.waitForTask(root, PATIENCE);
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.error()).isEqualTo("java.lang.IllegalStateException: attempt 1 of doomed failed on purpose");
        for (String dependant : List.of(child, grandchild)) {
            TaskView view = runtime.waitForTask(dependant, PATIENCE);
            assertThat(view.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(view.error()).startsWith("DEPENDENCY_FAILED: ");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(single(dependant, EventType.TASK_FAILED).data())
                    .containsEntry("reason", "DEPENDENCY_FAILED").containsEntry("dependencyId", root));
        }

        String retried = runtime.submitTask("flaky-once", Map.of("failAttempts", 1),
                TaskOptions.builder().agentId(flaky).maxAttempts(3).backoff(Duration.ofSeconds(1)).build());
        TaskView completed = runtime.waitForTask(retried, PATIENCE);
        assertThat(completed.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(completed.output()).isEqualTo(Map.of("attempt", 2));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(events.of(List.of(retried))).extracting(Event::type)
                .containsSubsequence(EventType.TASK_ASSIGNED, EventType.TASK_RETRIED, EventType.TASK_ASSIGNED, EventType.TASK_COMPLETED)
                .filteredOn(EventType::endsTask).containsExactly(EventType.TASK_COMPLETED));
    }

    @Test
    @Order(6)
    void unknownDependenciesSelfDependenciesAndDuplicatesAreRejectedWhole() {
        String known = runtime.submitTask("known", Map.of("sleepMs", 0));
        String unknown = UUID.randomUUID().toString();
        String own = UUID.randomUUID().toString();

        SubmissionRejectedException unknownDependency = catchThrowableOfType(SubmissionRejectedException.class,
                () -> runtime.submitTask("x", Map.of(), TaskOptions.builder().dependsOn(known, unknown).build()));
        SubmissionRejectedException selfDependency = catchThrowableOfType(SubmissionRejectedException.class,
                () -> runtime.submitTask("x", Map.of(), TaskOptions.builder().taskId(own).dependsOn(own).build()));
        SubmissionRejectedException duplicates = catchThrowableOfType(SubmissionRejectedException.class,
                () -> runtime.submitTask("x", Map.of(), TaskOptions.builder().dependsOn(known, known).build()));

        assertThat(unknownDependency.violations()).singleElement().asString().contains("unknown task id " + unknown);
        assertThat(selfDependency.violations()).singleElement().asString().contains("cannot depend on itself");
        assertThat(duplicates.status()).isEqualTo(400);
        assertThat(catchThrowableOfType(ApiException.class, () -> runtime.getTask(own)).status()).isEqualTo(404);
    }

    @Test
    @Order(7)
    void aTaskPastItsTimeoutEndsTimedOutAndItsAgentGoesOnWithTheNext() {
        String agent = startAgent("slowcoach", WorkerAgent.class);
        String slow = runtime.submitTask("too-slow", Map.of("sleepMs", 60_000),
                TaskOptions.builder().agentId(agent).timeout(Duration.ofSeconds(1)).build());
        String next = runtime.submitTask("next", Map.of("sleepMs", 100), TaskOptions.builder().agentId(agent).build());

        TaskTimeoutException timedOut = catchThrowableOfType(TaskTimeoutException.class, () -> runtime.waitForTask(slow, PATIENCE));

        assertThat(timedOut.task().status()).isEqualTo(TaskStatus.TIMED_OUT);
        assertThat(timedOut.task().error()).contains("timeout of 1 s");
        assertThat(runtime.waitForTask(next, PATIENCE).output()).containsEntry("status", "done");
        await().atMost(PATIENCE).untilAsserted(() -> {
            Event event = single(slow, EventType.TASK_TIMED_OUT);
            assertThat(event.severity()).isEqualTo(Severity.ERROR);
            assertThat(events.of(List.of(slow))).filteredOn(e -> e.type().endsTask()).hasSize(1);
        });
    }

    @Test
    @Order(8)
    void aQueuedAndARunningTaskCanBeCancelled() {
        String agent = startAgent("cancellable", WorkerAgent.class);
        String running = runtime.submitTask("long", Map.of("sleepMs", 60_000), TaskOptions.builder().agentId(agent).build());
        String queued = runtime.submitTask("waiting", Map.of("sleepMs", 60_000), TaskOptions.builder().agentId(agent).build());
        String after = runtime.submitTask("after", Map.of("sleepMs", 100), TaskOptions.builder().agentId(agent).build());
        await().atMost(PATIENCE).until(() -> runtime.getTask(running).status() == TaskStatus.RUNNING);

        // Cancel requests of different tasks travel on different partitions: the queued one is cancelled
        // first, so that freeing the agent cannot hand it the queued task before its cancel arrives.
        runtime.cancelTask(queued);
        assertThat(runtime.waitForTask(queued, PATIENCE).status()).isEqualTo(TaskStatus.CANCELLED);
        runtime.cancelTask(running);
        assertThat(runtime.waitForTask(running, PATIENCE).status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(runtime.waitForTask(after, PATIENCE).status()).as("the agent was freed at once").isEqualTo(TaskStatus.COMPLETED);
        assertThat(catchThrowableOfType(ApiException.class, () -> runtime.cancelTask(running)).status()).isEqualTo(409);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(events.of(List.of(queued)))
                .extracting(Event::type).doesNotContain(EventType.TASK_ASSIGNED).contains(EventType.TASK_CANCELLED));
    }

    @Test
    @Order(9)
    void aFullQueueRejectsTheNextSubmissionAndAcceptsAgainOnceOneEnds() {
        String parked = runtime.registerAgent("never-started", WorkerAgent.class);
        List<String> held = new ArrayList<>();
        QueueFullException full = null;
        while (full == null && held.size() <= QUEUE_LIMIT) {
            try {
                held.add(runtime.submitTask("parked-" + held.size(), Map.of(), TaskOptions.builder().agentId(parked).build()));
            } catch (QueueFullException e) {
                full = e;
            }
        }
        assertThat(full).as("a submission beyond %d unfinished tasks", QUEUE_LIMIT).isNotNull();
        assertThat(full.status()).isEqualTo(429);
        assertThat(full.problem().detail()).contains("queue full");

        runtime.cancelTask(held.getFirst());
        assertThat(runtime.waitForTask(held.getFirst(), PATIENCE).status()).isEqualTo(TaskStatus.CANCELLED);
        held.add(runtime.submitTask("accepted-again", Map.of(), TaskOptions.builder().agentId(parked).build()));

        held.stream().skip(1).forEach(runtime::cancelTask);
        held.forEach(id -> assertThat(runtime.waitForTask(id, PATIENCE).status()).isEqualTo(TaskStatus.CANCELLED));
    }

    @Test
    @Order(10)
    void aTaskWhoseAgentHostIsKilledCompletesOnceAfterTheRestart() {
        String agent = startAgent("survivor", WorkerAgent.class);
        String task = runtime.submitTask("interrupted-by-a-crash", Map.of("sleepMs", 2_000), TaskOptions.builder().agentId(agent).build());
        await().atMost(PATIENCE).until(() -> runtime.getTask(task).status() == TaskStatus.RUNNING);

        ServiceProcess host = fleet.service("agent-host");
        host.kill();
        host.restart();
        host.awaitReady(PATIENCE);

        TaskView completed = runtime.waitForTask(task, PATIENCE);
        assertThat(completed.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(completed.attempt()).as("assigned again once the lease ran out").isEqualTo(2);
        await().atMost(PATIENCE).untilAsserted(() -> {
            List<Event> record = events.of(List.of(task));
            assertThat(record).filteredOn(e -> e.type().endsTask()).extracting(Event::type).containsExactly(EventType.TASK_COMPLETED);
            assertThat(record).filteredOn(e -> e.type() == EventType.TASK_RETRIED).singleElement()
                    .satisfies(e -> assertThat(e.data()).containsEntry("reason", "LEASE_EXPIRED").containsEntry("attempt", 1));
        });
    }

    @Test
    @Order(11)
    void aSchedulerKilledMidRunLosesNothingAndRunsNothingTwice() {
        List<String> agents = List.of(startAgent("steady-1", WorkerAgent.class), startAgent("steady-2", WorkerAgent.class));
        List<String> tasks = IntStream.range(0, 12)
                .mapToObj(i -> runtime.submitTask("steady-" + i, Map.of("sleepMs", 400),
                        TaskOptions.builder().agentId(agents.get(i % 2)).build()))
                .toList();
        await().atMost(PATIENCE).until(() -> tasks.stream().anyMatch(id -> runtime.getTask(id).status() == TaskStatus.RUNNING));

        ServiceProcess scheduler = fleet.service("scheduler");
        scheduler.kill();
        String submittedWhileDown = runtime.submitTask("while-the-scheduler-is-down", Map.of("sleepMs", 0),
                TaskOptions.builder().agentId(agents.getFirst()).build());
        scheduler.restart();
        scheduler.awaitReady(PATIENCE);

        List<String> all = new ArrayList<>(tasks);
        all.add(submittedWhileDown);
        all.forEach(id -> assertThat(runtime.waitForTask(id, PATIENCE).status()).isEqualTo(TaskStatus.COMPLETED));
        await().atMost(PATIENCE).untilAsserted(() -> {
            List<Event> record = events.of(all);
            Map<String, Long> outcomes = record.stream().filter(e -> e.type().endsTask())
                    .collect(Collectors.groupingBy(Event::taskId, Collectors.counting()));
            assertThat(outcomes).hasSize(all.size()).allSatisfy((id, count) -> assertThat(count).as("outcomes of %s", id).isOne());
            Map<String, Set<Object>> startsByAttempt = record.stream().filter(e -> e.type() == EventType.TASK_STARTED)
                    .collect(Collectors.groupingBy(Event::taskId, Collectors.mapping(e -> e.data().get("attempt"), Collectors.toSet())));
            Map<String, Long> starts = record.stream().filter(e -> e.type() == EventType.TASK_STARTED)
                    .collect(Collectors.groupingBy(Event::taskId, Collectors.counting()));
            starts.forEach((id, count) -> assertThat(count).as("executions of %s, one per attempt", id)
                    .isEqualTo(startsByAttempt.get(id).size()));
        });
    }

    private static String startAgent(String name, Class<? extends io.miminions.sdk.Agent> type) {
        String agentId = runtime.registerAgent(name, type);
        runtime.startAgent(agentId);
        return agentId;
    }

    private static Event single(String taskId, EventType type) {
        List<Event> found = events.of(taskId, type);
        assertThat(found).as("%s of %s", type, taskId).hasSize(1);
        return found.getFirst();
    }
}
