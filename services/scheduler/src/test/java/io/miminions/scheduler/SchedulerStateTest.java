package io.miminions.scheduler;

import static io.miminions.scheduler.ReadyQueueTest.accepted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.miminions.model.AgentStatus;
import io.miminions.model.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SchedulerStateTest {

    private final SchedulerState state = new SchedulerState(0);

    @Test
    void aTaskWithoutDependenciesIsQueuedAndWaitsForARunningAgent() {
        StateChanges changes = step(c -> state.accept(accepted("t1", 50, List.of(), null), Set.of(), c));

        ScheduledTask task = changes.tasks().getFirst();
        assertThat(task.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(task.seq()).isEqualTo(1);
        assertThat(changes.queued()).containsExactly(task);
        assertThat(changes.assigned()).isEmpty();

        StateChanges started = step(c -> state.agentChanged("a", AgentStatus.RUNNING, c));

        assertThat(started.agents()).isEqualTo(Map.of("a", AgentStatus.RUNNING));
        assertThat(started.assigned()).containsExactly(task);
        assertThat(task.status()).isEqualTo(TaskStatus.ASSIGNED);
        assertThat(task.attempt()).isEqualTo(1);
        assertThat(task.assignedAgent()).isEqualTo("a");
    }

    @Test
    void aFreeAgentTakesTheReadyTaskWithTheLowestPriorityThenTheFirstSubmitted() {
        step(c -> state.accept(accepted("routine", 50, List.of(), null), Set.of(), c));
        step(c -> state.accept(accepted("urgent-1", 10, List.of(), null), Set.of(), c));
        step(c -> state.accept(accepted("urgent-2", 10, List.of(), null), Set.of(), c));

        assertThat(assignedIds(step(c -> state.agentChanged("a", AgentStatus.RUNNING, c)))).containsExactly("urgent-1");
        assertThat(assignedIds(step(c -> state.completed("urgent-1", 1, "done", c)))).containsExactly("urgent-2");
        assertThat(assignedIds(step(c -> state.completed("urgent-2", 1, "done", c)))).containsExactly("routine");
        assertThat(state.readyCount()).isZero();
    }

    @Test
    void anAgentHoldsOneTaskAtATime() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, c));
        step(c -> state.accept(accepted("t1", 50, List.of(), null), Set.of(), c));

        StateChanges second = step(c -> state.accept(accepted("t2", 0, List.of(), null), Set.of(), c));

        assertThat(second.assigned()).isEmpty();
        assertThat(state.readyCount()).isEqualTo(1);
        assertThat(state.freeAgentCount()).isZero();
    }

    @Test
    void aDependantIsQueuedOnlyOnceItsDependencyCompleted() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, c));
        step(c -> state.accept(accepted("first", 50, List.of(), null), Set.of(), c));

        StateChanges waiting = step(c -> state.accept(accepted("second", 0, List.of("first"), null), Set.of(), c));
        ScheduledTask second = waiting.tasks().getFirst();
        assertThat(second.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(waiting.queued()).isEmpty();

        StateChanges completion = step(c -> state.completed("first", 1, Map.of("answer", 42), c));

        ScheduledTask first = completion.tasks().getFirst();
        assertThat(first.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(first.output()).isEqualTo(Map.of("answer", 42));
        assertThat(completion.queued()).containsExactly(second);
        assertThat(completion.assigned()).containsExactly(second);
        assertThat(state.isUnfinished("first")).isFalse();
    }

    @Test
    void aDependencyKnownToHaveCompletedCountsAsMet() {
        StateChanges changes = step(c -> state.accept(accepted("t", 50, List.of("done-long-ago"), null), Set.of("done-long-ago"), c));

        assertThat(changes.queued()).extracting(ScheduledTask::taskId).containsExactly("t");
    }

    @Test
    void aDependencyNotReceivedYetIsWaitedFor() {
        step(c -> state.accept(accepted("dependant", 0, List.of("later"), null), Set.of(), c));
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, c));
        step(c -> state.accept(accepted("later", 90, List.of(), null), Set.of(), c));

        StateChanges completion = step(c -> state.completed("later", 1, null, c));

        assertThat(assignedIds(completion)).containsExactly("dependant");
    }

    @Test
    void progressOfAnotherAttemptOrOfAFinishedTaskIsIgnored() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, c));
        step(c -> state.accept(accepted("t", 50, List.of(), null), Set.of(), c));

        assertThat(step(c -> state.completed("t", 2, "stale", c)).isEmpty()).isTrue();
        assertThat(step(c -> state.started("t", 1, c)).tasks()).extracting(ScheduledTask::status).containsExactly(TaskStatus.RUNNING);
        assertThat(step(c -> state.started("t", 1, c)).isEmpty()).isTrue();
        assertThat(step(c -> state.failed("t", 1, "Boom: broken", c)).tasks())
                .singleElement()
                .satisfies(t -> {
                    assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
                    assertThat(t.error()).isEqualTo("Boom: broken");
                });
        assertThat(step(c -> state.completed("t", 1, "late", c)).isEmpty()).isTrue();
        assertThat(state.freeAgentCount()).isEqualTo(1);
    }

    @Test
    void aFailedDependencyDoesNotReleaseItsDependants() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, c));
        step(c -> state.accept(accepted("first", 50, List.of(), null), Set.of(), c));
        step(c -> state.accept(accepted("second", 50, List.of("first"), null), Set.of(), c));

        StateChanges failure = step(c -> state.failed("first", 1, "Boom: broken", c));

        assertThat(failure.queued()).isEmpty();
        assertThat(state.isUnfinished("second")).isTrue();
    }

    @Test
    void aBoundTaskWaitsForItsAgent() {
        step(c -> state.agentChanged("b", AgentStatus.RUNNING, c));

        assertThat(step(c -> state.accept(accepted("for-a", 0, List.of(), "a"), Set.of(), c)).assigned()).isEmpty();
        assertThat(assignedIds(step(c -> state.agentChanged("a", AgentStatus.RUNNING, c)))).containsExactly("for-a");
    }

    @Test
    void anUnboundTaskGoesToAFreeAgentWithoutBoundWorkSoThatTheBoundTaskCanRunToo() {
        step(c -> state.accept(accepted("for-anyone", 0, List.of(), null), Set.of(), c));
        step(c -> state.accept(accepted("for-a", 10, List.of(), "a"), Set.of(), c));

        StateChanges started = step(c -> {
            state.agentChanged("a", AgentStatus.RUNNING, c);
            state.agentChanged("b", AgentStatus.RUNNING, c);
        });

        assertThat(started.assigned()).extracting(ScheduledTask::taskId, ScheduledTask::assignedAgent)
                .containsExactly(tuple("for-anyone", "b"), tuple("for-a", "a"));
    }

    @Test
    void onlyRunningAgentsGetWork() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, c));
        step(c -> state.agentChanged("a", AgentStatus.PAUSED, c));
        step(c -> state.agentChanged("b", AgentStatus.STOPPED, c));

        assertThat(step(c -> state.accept(accepted("t", 50, List.of(), null), Set.of(), c)).assigned()).isEmpty();
        assertThat(assignedIds(step(c -> state.agentChanged("a", AgentStatus.RUNNING, c)))).containsExactly("t");
    }

    @Test
    void anUnboundTaskGoesToTheLongestIdleAgent() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, c));
        step(c -> state.agentChanged("b", AgentStatus.RUNNING, c));
        step(c -> state.accept(accepted("t1", 50, List.of(), null), Set.of(), c));
        step(c -> state.completed("t1", 1, null, c));

        StateChanges next = step(c -> state.accept(accepted("t2", 50, List.of(), null), Set.of(), c));

        assertThat(next.assigned()).extracting(ScheduledTask::assignedAgent).containsExactly("b");
    }

    @Test
    void aRepeatedAgentStatusChangesNothing() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, c));

        assertThat(step(c -> state.agentChanged("a", AgentStatus.RUNNING, c)).isEmpty()).isTrue();
    }

    @Test
    void aTaskCannotBeAcceptedTwice() {
        step(c -> state.accept(accepted("t", 50, List.of(), null), Set.of(), c));

        assertThatThrownBy(() -> step(c -> state.accept(accepted("t", 50, List.of(), null), Set.of(), c)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("t");
    }

    @Test
    void restoredAssignmentsKeepTheirAgentsBusyAndRestoredReadyWorkIsAssigned() {
        SchedulerState restored = new SchedulerState(7);
        StateChanges changes = new StateChanges();
        restored.restoreAgent("a", AgentStatus.RUNNING);
        restored.restoreAgent("b", AgentStatus.RUNNING);
        restored.restore(new ScheduledTask(accepted("held", 50, List.of(), null), 3, TaskStatus.RUNNING, 2, "a"), Set.of(), changes);
        restored.restore(new ScheduledTask(accepted("waiting", 50, List.of("held"), null), 5, TaskStatus.PENDING, 0, null), Set.of(), changes);
        restored.restore(new ScheduledTask(accepted("ready", 50, List.of(), null), 6, TaskStatus.QUEUED, 0, null), Set.of(), changes);
        restored.dispatch(changes);

        assertThat(assignedIds(changes)).containsExactly("ready");
        assertThat(changes.assigned().getFirst().assignedAgent()).isEqualTo("b");

        StateChanges completion = new StateChanges();
        restored.completed("held", 2, null, completion);
        restored.dispatch(completion);
        assertThat(assignedIds(completion)).containsExactly("waiting");
        assertThat(completion.assigned().getFirst().assignedAgent()).isEqualTo("a");

        StateChanges next = new StateChanges();
        restored.accept(accepted("new", 50, List.of(), null), Set.of(), next);
        assertThat(next.tasks().getFirst().seq()).isEqualTo(8);
    }

    @Test
    void aRestoredPendingTaskWhoseDependenciesAllCompletedIsQueued() {
        SchedulerState restored = new SchedulerState(1);
        StateChanges changes = new StateChanges();

        restored.restore(new ScheduledTask(accepted("t", 50, List.of("d"), null), 1, TaskStatus.PENDING, 0, null), Set.of("d"), changes);

        assertThat(changes.queued()).extracting(ScheduledTask::taskId).containsExactly("t");
    }

    private StateChanges step(Consumer<StateChanges> input) {
        StateChanges changes = new StateChanges();
        input.accept(changes);
        state.dispatch(changes);
        return changes;
    }

    private static List<String> assignedIds(StateChanges changes) {
        return changes.assigned().stream().map(ScheduledTask::taskId).toList();
    }
}
