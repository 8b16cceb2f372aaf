package io.miminions.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.miminions.model.AcceptedTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadyQueueTest {

    private final ReadyQueue queue = new ReadyQueue();

    @Test
    void theNextTaskHasTheLowestPriorityNumberAndIsTheFirstSubmittedAmongEqualPriorities() {
        queue.add(task("late-urgent", 10, 4, null));
        queue.add(task("routine", 50, 1, null));
        queue.add(task("early-urgent", 10, 2, null));
        queue.add(task("most-urgent", 0, 3, null));

        assertThat(drain(List.of("a"))).containsExactly("most-urgent", "early-urgent", "late-urgent", "routine");
    }

    @Test
    void countsTheReadyTasksOfEachPriorityBandWhetherBoundToAnAgentOrNot() {
        queue.add(task("urgent", 0, 1, null));
        queue.add(task("urgent-bound", 9, 2, "b"));
        queue.add(task("routine", 50, 3, null));
        queue.add(task("lowest", 100, 4, "c"));

        assertThat(queue.sizeByBand()).containsExactly(2, 0, 0, 0, 0, 1, 0, 0, 0, 1);
    }

    @Test
    void theCountsFollowRemovalsAndIgnoreATaskAddedTwiceOrRemovedWhenAbsent() {
        ScheduledTask urgent = task("urgent", 0, 1, null);
        ScheduledTask bound = task("bound", 55, 2, "b");
        queue.add(urgent);
        queue.add(urgent);
        queue.add(bound);
        queue.add(task("routine", 50, 3, null));

        queue.remove(urgent);
        queue.remove(urgent);
        queue.remove(bound);
        queue.remove(task("never-added", 100, 4, "c"));

        assertThat(queue.sizeByBand()).containsExactly(0, 0, 0, 0, 0, 1, 0, 0, 0, 0);
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void aTaskBoundToAnAgentIsOfferedOnlyWhenThatAgentIsAmongTheCandidates() {
        ScheduledTask bound = task("bound", 0, 1, "b");
        queue.add(bound);
        queue.add(task("any", 50, 2, null));

        assertThat(queue.next(List.of("a")).taskId()).isEqualTo("any");
        assertThat(queue.next(List.of("a", "b")).taskId()).isEqualTo("bound");
        assertThat(queue.hasTasksBoundTo("b")).isTrue();

        queue.remove(bound);
        assertThat(queue.hasTasksBoundTo("b")).isFalse();
        assertThat(queue.next(List.of("b")).taskId()).isEqualTo("any");
    }

    @Test
    void aBoundTaskAndAnUnboundTaskCompeteByPriorityThenSubmission() {
        queue.add(task("any-first", 20, 1, null));
        queue.add(task("bound-second", 20, 2, "a"));
        queue.add(task("bound-urgent", 5, 3, "a"));

        assertThat(drain(List.of("a"))).containsExactly("bound-urgent", "any-first", "bound-second");
    }

    @Test
    void withoutCandidateAgentsThereIsNoNextTask() {
        queue.add(task("any", 50, 1, null));

        assertThat(queue.next(List.of())).isNull();
        assertThat(queue.size()).isEqualTo(1);
    }

    private List<String> drain(List<String> agents) {
        List<String> order = new ArrayList<>();
        for (ScheduledTask next = queue.next(agents); next != null; next = queue.next(agents)) {
            order.add(next.taskId());
            queue.remove(next);
        }
        assertThat(queue.size()).isZero();
        return order;
    }

    static ScheduledTask task(String id, int priority, long seq, String agentId) {
        return ScheduledTask.received(accepted(id, priority, List.of(), agentId), seq);
    }

    static AcceptedTask accepted(String id, int priority, List<String> dependencies, String agentId) {
        return new AcceptedTask(id, "job " + id, Map.of("n", 1), priority, dependencies, 30, agentId, Instant.now());
    }
}
