package io.miminions.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.client.TaskOptions;
import io.miminions.examples.agents.WorkerAgent;
import io.miminions.model.EventType;
import io.miminions.model.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent prefetch of one ({@code miminions.scheduler.agent-prefetch=1}) through the four services
 * running as processes on a real broker and database: when an agent's task ends while more tasks
 * are queued than it may hold ahead, it is given the next two at once, so its next task is already
 * on its way before the one before it ends.
 */
class PrefetchEndToEndIT extends QuickFleetTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @BeforeAll
    static void startFleet() {
        startQuickFleet("prefetch", Map.of("miminions.scheduler.agent-prefetch", "1"));
    }

    @Test
    void tasksQueuedBehindABusyAgentStartInPriorityOrderEachAssignedBeforeTheOneBeforeItEndedButTheLast() {
        String agent = runtime.registerAgent("prefetching", WorkerAgent.class);
        runtime.startAgent(agent);
        String busy = runtime.submitTask("busy", Map.of("sleepMs", 600_000), TaskOptions.builder().agentId(agent).build());
        await().atMost(PATIENCE).until(() -> runtime.getTask(busy).status() == TaskStatus.RUNNING);

        List<Integer> priorities = List.of(50, 10, 90, 10, 30, 70);
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < priorities.size(); i++) {
            submitted.add(runtime.submitTask("queued-" + i, Map.of("sleepMs", 300),
                    TaskOptions.builder().priority(priorities.get(i)).agentId(agent).build()));
        }
        await().atMost(PATIENCE).until(() -> submitted.stream().allMatch(id -> runtime.getTask(id).status() == TaskStatus.QUEUED));
        runtime.cancelTask(busy);

        submitted.forEach(id -> assertThat(runtime.waitForTask(id, PATIENCE).status()).isEqualTo(TaskStatus.COMPLETED));
        await().atMost(PATIENCE).until(() -> events.of(submitted).stream().filter(e -> e.type() == EventType.TASK_COMPLETED).count()
                == submitted.size());
        List<String> startOrder = events.startOrder(submitted);
        assertThat(startOrder).as("priority, then submission").containsExactlyElementsOf(submitted.stream()
                .sorted(Comparator.comparing((String id) -> priorities.get(submitted.indexOf(id))).thenComparing(submitted::indexOf))
                .toList());
        int last = startOrder.size() - 1;
        for (int i = 1; i < last; i++) {
            assertThat(time(startOrder.get(i), EventType.TASK_ASSIGNED))
                    .as("task %d in start order was assigned while task %d ran", i, i - 1)
                    .isBefore(time(startOrder.get(i - 1), EventType.TASK_ATTEMPT_ENDED));
        }
        assertThat(time(startOrder.get(last), EventType.TASK_ASSIGNED))
                .as("one task left is no deeper a queue than the agent may hold ahead: it waits until the agent is free")
                .isAfter(time(startOrder.get(last - 1), EventType.TASK_ATTEMPT_ENDED));
    }

    private static Instant time(String taskId, EventType type) {
        return events.of(taskId, type).getFirst().time();
    }
}
