package io.miminions.scheduler;

import static io.miminions.scheduler.ReadyQueueTest.accepted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.miminions.model.AcceptedTask;
import io.miminions.model.AgentStatus;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.HostHeartbeat;
import io.miminions.model.TaskInterrupt;
import io.miminions.model.TaskReason;
import io.miminions.model.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SchedulerStateTest {

    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final SchedulerState state = new SchedulerState(0, LEASE, GRACE);
    private Instant now = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void aTaskWithoutDependenciesIsQueuedAndWaitsForARunningAgent() {
        StateChanges changes = step(c -> accept(accepted("t1", 50, List.of(), null), c));

        ScheduledTask task = changes.tasks().getFirst();
        assertThat(task.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(task.seq()).isEqualTo(1);
        assertThat(changes.queued()).containsExactly(task);
        assertThat(changes.assigned()).isEmpty();

        StateChanges started = step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));

        assertThat(started.agents()).isEqualTo(Map.of("a", AgentStatus.RUNNING));
        assertThat(started.assigned()).containsExactly(task);
        assertThat(task.status()).isEqualTo(TaskStatus.ASSIGNED);
        assertThat(task.attempt()).isEqualTo(1);
        assertThat(task.assignedAgent()).isEqualTo("a");
        assertThat(task.leaseExpiresAt()).isEqualTo(now.plus(LEASE));
    }

    @Test
    void aFreeAgentTakesTheReadyTaskWithTheLowestPriorityThenTheFirstSubmitted() {
        step(c -> accept(accepted("routine", 50, List.of(), null), c));
        step(c -> accept(accepted("urgent-1", 10, List.of(), null), c));
        step(c -> accept(accepted("urgent-2", 10, List.of(), null), c));

        assertThat(assignedIds(step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c)))).containsExactly("urgent-1");
        assertThat(assignedIds(step(c -> complete("urgent-1", 1, "done", c)))).containsExactly("urgent-2");
        assertThat(assignedIds(step(c -> complete("urgent-2", 1, "done", c)))).containsExactly("routine");
        assertThat(state.readyCount()).isZero();
    }

    @Test
    void withinOnePriorityTheIntakesSubmissionOrderWinsOverTheOrderOfArrival() {
        // The scheduler reads tasks from ten partitions: a later submission can arrive first.
        step(c -> accept(numbered("second", 30, 8), c));
        step(c -> accept(numbered("first", 30, 7), c));
        step(c -> accept(numbered("urgent-last", 0, 9), c));

        assertThat(assignedIds(step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c)))).containsExactly("urgent-last");
        assertThat(assignedIds(step(c -> complete("urgent-last", 1, null, c)))).containsExactly("first");
        assertThat(assignedIds(step(c -> complete("first", 1, null, c)))).containsExactly("second");
    }

    @Test
    void anAgentHoldsOneTaskAtATime() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> accept(accepted("t1", 50, List.of(), null), c));

        StateChanges second = step(c -> accept(accepted("t2", 0, List.of(), null), c));

        assertThat(second.assigned()).isEmpty();
        assertThat(state.readyCount()).isEqualTo(1);
        assertThat(state.freeAgentCount()).isZero();
    }

    @Test
    void withAPrefetchAnAgentWhoseTaskEndedTakesTheNextTasksAtOnceInPriorityOrder() {
        SchedulerState prefetching = new SchedulerState(0, LEASE, GRACE, 1);
        step(prefetching, c -> prefetching.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(prefetching, c -> prefetching.accept(accepted("first", 50, List.of(), null), Map.of(), now, c));
        for (String id : List.of("later", "urgent", "last", "after-last")) {
            StateChanges arrival = step(prefetching, c -> prefetching.accept(accepted(id, id.equals("urgent") ? 0 : 50, List.of(), null),
                    Map.of(), now, c));
            assertThat(arrival.assigned()).as("an agent that runs a task gets no more until one of its tasks ends").isEmpty();
        }

        StateChanges ended = step(prefetching, c -> prefetching.attemptEnded("first", 1, TaskStatus.COMPLETED, Map.of(), now, c));

        assertThat(assignedIds(ended)).containsExactly("urgent", "later");
        assertThat(ended.assigned()).allSatisfy(task -> assertThat(task.assignedAgent()).isEqualTo("a"));
        assertThat(assignedIds(step(prefetching, c -> prefetching.attemptEnded("urgent", 1, TaskStatus.COMPLETED, Map.of(), now, c))))
                .as("one ended, one more").containsExactly("last");
    }

    @Test
    void withAPrefetchAQueueNoDeeperThanWhatTheAgentsMayHoldAheadIsLeftToTheNextFreeAgent() {
        SchedulerState prefetching = new SchedulerState(0, LEASE, GRACE, 1);
        step(prefetching, c -> prefetching.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(prefetching, c -> prefetching.agentChanged("b", AgentStatus.RUNNING, now, c));
        for (String id : List.of("on-a", "on-b", "x", "y")) {
            step(prefetching, c -> prefetching.accept(accepted(id, 50, List.of(), null), Map.of(), now, c));
        }

        assertThat(assignedIds(step(prefetching, c -> prefetching.attemptEnded("on-a", 1, TaskStatus.COMPLETED, Map.of(), now, c))))
                .as("one task left, and two agents may hold one ahead each").containsExactly("x");
        assertThat(assignedIds(step(prefetching, c -> prefetching.attemptEnded("on-b", 1, TaskStatus.COMPLETED, Map.of(), now, c))))
                .containsExactly("y");
    }

    @Test
    void withAPrefetchAFreeAgentGetsATaskBeforeABusyOneHoldsItAhead() {
        SchedulerState prefetching = new SchedulerState(0, LEASE, GRACE, 1);
        step(prefetching, c -> prefetching.agentChanged("a", AgentStatus.RUNNING, now, c));
        for (String id : List.of("first", "second", "third", "fourth")) {
            step(prefetching, c -> prefetching.accept(accepted(id, 50, List.of(), null), Map.of(), now, c));
        }
        assertThat(assignedIds(step(prefetching, c -> prefetching.attemptEnded("first", 1, TaskStatus.COMPLETED, Map.of(), now, c))))
                .containsExactly("second", "third");
        assertThat(assignedIds(step(prefetching, c -> prefetching.agentChanged("b", AgentStatus.RUNNING, now, c))))
                .containsExactly("fourth");
        step(prefetching, c -> prefetching.attemptEnded("fourth", 1, TaskStatus.COMPLETED, Map.of(), now, c));

        StateChanges ended = step(prefetching, c -> {
            for (String id : List.of("x1", "x2", "x3", "x4")) {
                prefetching.accept(accepted(id, 50, List.of(), null), Map.of(), now, c);
            }
            prefetching.attemptEnded("second", 1, TaskStatus.COMPLETED, Map.of(), now, c);
        });

        assertThat(ended.assigned()).extracting(ScheduledTask::taskId, ScheduledTask::assignedAgent)
                .as("b is free, a still holds third").containsExactly(tuple("x1", "b"), tuple("x2", "a"));
    }

    @Test
    void withAPrefetchAnAgentPausedWhenItsTaskEndedTakesOneTaskWhenItResumes() {
        SchedulerState prefetching = new SchedulerState(0, LEASE, GRACE, 1);
        step(prefetching, c -> prefetching.agentChanged("a", AgentStatus.RUNNING, now, c));
        for (String id : List.of("first", "x", "y")) {
            step(prefetching, c -> prefetching.accept(accepted(id, 50, List.of(), null), Map.of(), now, c));
        }
        StateChanges paused = step(prefetching, c -> {
            prefetching.attemptEnded("first", 1, TaskStatus.COMPLETED, Map.of(), now, c);
            prefetching.agentChanged("a", AgentStatus.PAUSED, now, c);
        });
        assertThat(paused.assigned()).isEmpty();

        assertThat(assignedIds(step(prefetching, c -> prefetching.agentChanged("a", AgentStatus.RUNNING, now, c))))
                .as("no task of it ended since").containsExactly("x");
    }

    @Test
    void aNegativePrefetchIsRefused() {
        assertThatThrownBy(() -> new SchedulerState(0, LEASE, GRACE, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the agent prefetch must be 0 or more, not -1");
    }

    @Test
    void aCompletionIsAnnouncedOnceWithTheOutputAndReleasesTheDependant() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> accept(accepted("first", 50, List.of(), null), c));

        StateChanges waiting = step(c -> accept(accepted("second", 0, List.of("first"), null), c));
        ScheduledTask second = waiting.tasks().getFirst();
        assertThat(second.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(waiting.queued()).isEmpty();

        StateChanges completion = step(c -> state.attemptEnded("first", 1, TaskStatus.COMPLETED,
                Map.of("output", Map.of("answer", 42), "durationMs", 7), now, c));

        ScheduledTask first = completion.tasks().getFirst();
        assertThat(first.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(first.output()).isEqualTo(Map.of("answer", 42));
        assertThat(completion.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.TASK_COMPLETED);
            assertThat(e.source()).isEqualTo("scheduler");
            assertThat(e.agentId()).isEqualTo("a");
            assertThat(e.data()).isEqualTo(Map.of("attempt", 1, "output", Map.of("answer", 42), "durationMs", 7));
        });
        assertThat(completion.queued()).containsExactly(second);
        assertThat(completion.assigned()).containsExactly(second);
        assertThat(state.isUnfinished("first")).isFalse();
        assertThat(step(c -> complete("first", 1, "again", c)).isEmpty()).as("a repeated report").isTrue();
    }

    @Test
    void aDependencyKnownToHaveCompletedCountsAsMet() {
        StateChanges changes = step(c -> state.accept(accepted("t", 50, List.of("done-long-ago"), null),
                Map.of("done-long-ago", new StoredTask(TaskStatus.COMPLETED, null)), now, c));

        assertThat(changes.queued()).extracting(ScheduledTask::taskId).containsExactly("t");
    }

    @Test
    void aDependencyNotReceivedYetIsWaitedFor() {
        step(c -> accept(accepted("dependant", 0, List.of("later"), null), c));
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> accept(accepted("later", 90, List.of(), null), c));

        StateChanges completion = step(c -> complete("later", 1, null, c));

        assertThat(assignedIds(completion)).containsExactly("dependant");
    }

    @Test
    void aChainAndADiamondRunInDependencyOrder() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> accept(accepted("top", 50, List.of(), null), c));
        step(c -> accept(accepted("left", 50, List.of("top"), null), c));
        step(c -> accept(accepted("right", 50, List.of("top"), null), c));
        step(c -> accept(accepted("bottom", 0, List.of("left", "right"), null), c));

        assertThat(assignedIds(step(c -> complete("top", 1, null, c)))).containsExactly("left");
        assertThat(assignedIds(step(c -> complete("left", 1, null, c)))).containsExactly("right");
        assertThat(assignedIds(step(c -> complete("right", 1, null, c)))).containsExactly("bottom");
    }

    @Test
    void aFailedDependencyFailsItsDependantsTransitivelyNamingTheCulprit() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> accept(accepted("root", 50, List.of(), null), c));
        step(c -> accept(accepted("child", 50, List.of("root"), null), c));
        step(c -> accept(accepted("grandchild", 50, List.of("child", "other"), null), c));
        step(c -> accept(accepted("other", 60, List.of(), null), c));

        StateChanges failure = step(c -> state.attemptEnded("root", 1, TaskStatus.FAILED,
                Map.of("errorType", "java.lang.IllegalStateException", "errorMessage", "boom"), now, c));

        assertThat(failure.events()).extracting(Event::type, Event::taskId).containsExactly(
                tuple(EventType.TASK_FAILED, "root"), tuple(EventType.TASK_FAILED, "child"), tuple(EventType.TASK_FAILED, "grandchild"));
        assertThat(failure.events().getFirst().data()).containsEntry("errorType", "java.lang.IllegalStateException")
                .containsEntry("errorMessage", "boom").containsEntry("attempts", 1);
        assertThat(failure.events().get(1).data()).isEqualTo(Map.of("reason", "DEPENDENCY_FAILED", "dependencyId", "root",
                "errorMessage", "dependency root ended FAILED"));
        assertThat(failure.events().get(2).data()).isEqualTo(Map.of("reason", "DEPENDENCY_FAILED", "dependencyId", "root",
                "errorMessage", "dependency child ended FAILED because task root did not complete"));
        assertThat(state.isUnfinished("grandchild")).isFalse();
        assertThat(assignedIds(failure)).as("the agent goes on with independent work").containsExactly("other");

        StateChanges late = step(c -> state.accept(accepted("late", 50, List.of("child"), null),
                Map.of("child", new StoredTask(TaskStatus.FAILED, "root")), now, c));
        assertThat(late.events()).singleElement().satisfies(e -> assertThat(e.data()).containsEntry("dependencyId", "root"));
    }

    @Test
    void aFailedAttemptIsRetriedAfterItsBackoffUntilNoAttemptIsLeft() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> accept(new AcceptedTask("t", "flaky", Map.of(), 50, List.of(), 30, null, now, 1L, 3, 2), c));

        StateChanges first = step(c -> fail("t", 1, c));
        assertThat(first.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.TASK_RETRIED);
            assertThat(e.data()).containsEntry("attempt", 1).containsEntry("reason", "EXECUTION_FAILED")
                    .containsEntry("retryInSeconds", 2L).containsEntry("errorMessage", "boom");
        });
        assertThat(first.assigned()).isEmpty();
        assertThat(state.delayedCount()).isEqualTo(1);

        now = now.plusMillis(1_999);
        assertThat(step(c -> state.tick(now, c)).assigned()).as("before the backoff has passed").isEmpty();
        now = now.plusMillis(2);
        StateChanges second = step(c -> state.tick(now, c));
        assertThat(second.assigned()).singleElement().satisfies(t -> assertThat(t.attempt()).isEqualTo(2));

        StateChanges again = step(c -> fail("t", 2, c));
        assertThat(again.events()).singleElement().satisfies(e -> assertThat(e.data()).containsEntry("retryInSeconds", 4L));
        now = now.plusSeconds(4);
        step(c -> state.tick(now, c));

        StateChanges last = step(c -> fail("t", 3, c));
        assertThat(last.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.TASK_FAILED);
            assertThat(e.data()).containsEntry("attempt", 3).containsEntry("attempts", 3);
        });
        assertThat(state.isUnfinished("t")).isFalse();
    }

    @Test
    void aTimeoutTheHostReportsEndsTheTaskAndALateCompletionIsIgnored() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> accept(accepted("slow", 50, List.of(), null), c));
        step(c -> accept(accepted("after-slow", 50, List.of("slow"), null), c));
        step(c -> accept(accepted("next", 60, List.of(), null), c));
        step(c -> state.started("slow", 1, now, c));

        StateChanges timedOut = step(c -> state.attemptEnded("slow", 1, TaskStatus.TIMED_OUT, Map.of(), now, c));

        assertThat(timedOut.events()).extracting(Event::type).containsExactly(EventType.TASK_TIMED_OUT, EventType.TASK_FAILED);
        assertThat(timedOut.events().getFirst().severity()).isEqualTo(io.miminions.model.Severity.ERROR);
        assertThat(timedOut.events().getFirst().data()).containsEntry("timeoutSeconds", 30).containsEntry("reason", "TIMED_OUT");
        assertThat(assignedIds(timedOut)).as("its agent takes new work").containsExactly("next");
        assertThat(step(c -> complete("slow", 1, "too late", c)).events()).isEmpty();
    }

    @Test
    void aRunningAttemptWhoseHostSaysNothingTimesOutAfterItsGraceAndIsInterrupted() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> accept(accepted("hung", 50, List.of(), null), c));
        step(c -> state.started("hung", 1, now, c));
        Instant deadline = now.plusSeconds(30).plus(GRACE);

        for (Instant t = now; t.isBefore(deadline); t = t.plusSeconds(5)) {
            now = t;
            state.heartbeat(heartbeat("a", "hung", 1), now);
            assertThat(step(c -> state.tick(now, c)).events()).isEmpty();
        }
        now = deadline.plusMillis(1);
        state.heartbeat(heartbeat("a", "hung", 1), now);
        StateChanges timedOut = step(c -> state.tick(now, c));

        assertThat(timedOut.events()).extracting(Event::type).containsExactly(EventType.TASK_TIMED_OUT);
        assertThat(timedOut.interrupts()).containsExactly(new TaskInterrupt("hung", 1, "a", TaskReason.TIMED_OUT, now));
        assertThat(state.freeAgentCount()).isEqualTo(1);
    }

    @Test
    void anAttemptWhoseLeaseRunsOutIsAssignedAgainOnceItsAgentIsBack() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> accept(accepted("t", 50, List.of(), null), c));
        step(c -> state.started("t", 1, now, c));

        now = now.plus(LEASE).plusMillis(1);
        StateChanges lost = step(c -> state.tick(now, c));

        assertThat(lost.events()).extracting(Event::type).containsExactly(EventType.AGENT_LOST, EventType.TASK_RETRIED);
        assertThat(lost.events().getLast().data()).containsEntry("reason", "LEASE_EXPIRED").containsEntry("attempt", 1);
        assertThat(lost.interrupts()).containsExactly(new TaskInterrupt("t", 1, "a", TaskReason.LEASE_EXPIRED, now));
        assertThat(lost.assigned()).as("its agent is out of reach too").isEmpty();
        assertThat(state.isReachable("a")).isFalse();
        assertThat(step(c -> complete("t", 1, "from a zombie", c)).events()).isEmpty();

        StateChanges back = step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        assertThat(back.assigned()).singleElement().satisfies(t -> assertThat(t.attempt()).isEqualTo(2));
    }

    @Test
    void heartbeatsKeepAnAgentAndItsAttemptAlive() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> accept(accepted("t", 50, List.of(), null), c));
        step(c -> state.started("t", 1, now, c));

        for (int i = 0; i < 5; i++) {
            now = now.plusSeconds(5);
            state.heartbeat(heartbeat("a", "t", 1), now);
            assertThat(step(c -> state.tick(now, c)).isEmpty()).isTrue();
        }
        state.heartbeat(new HostHeartbeat("h", now.minus(LEASE).minusSeconds(1), List.of(new HostHeartbeat.AgentLease("a", "t", 1))), now);
        now = now.plus(LEASE).plusMillis(1);
        assertThat(step(c -> state.tick(now, c)).events()).as("a stale heartbeat renews nothing")
                .extracting(Event::type).containsExactly(EventType.AGENT_LOST, EventType.TASK_RETRIED);
    }

    @Test
    void anAgentWhoseHostStopsSendingHeartbeatsIsReportedLostOnceNamingTheHost() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> state.agentChanged("p", AgentStatus.PAUSED, now, c));
        state.heartbeat(new HostHeartbeat("host-1", now, List.of(new HostHeartbeat.AgentLease("a", null, 0),
                new HostHeartbeat.AgentLease("p", null, 0))), now);

        now = now.plus(LEASE).plusMillis(1);
        StateChanges lost = step(c -> state.tick(now, c));
        now = now.plusSeconds(1);

        assertThat(lost.events()).extracting(Event::type).containsExactly(EventType.AGENT_LOST, EventType.AGENT_LOST);
        assertThat(lost.events()).extracting(Event::agentId).containsExactlyInAnyOrder("a", "p");
        assertThat(lost.events()).allSatisfy(e -> assertThat(e.data()).containsEntry("host", "host-1"));
        assertThat(step(c -> state.tick(now, c)).events()).as("reported once").isEmpty();
        assertThat(state.isReachable("a")).isFalse();
    }

    @Test
    void aStoppedOrHandedOverAgentIsNotReportedLost() {
        step(c -> state.agentChanged("stopped", AgentStatus.RUNNING, now, c));
        step(c -> state.agentChanged("moving", AgentStatus.RUNNING, now, c));
        step(c -> state.agentChanged("stopped", AgentStatus.STOPPED, now, c));
        state.handedOver("moving");

        now = now.plus(LEASE).plusMillis(1);
        assertThat(step(c -> state.tick(now, c)).events()).isEmpty();
        assertThat(state.isReachable("moving")).as("no task until it is back").isFalse();

        state.heartbeat(new HostHeartbeat("host-2", now, List.of(new HostHeartbeat.AgentLease("moving", null, 0))), now);
        assertThat(state.isReachable("moving")).isTrue();
    }

    @Test
    void aStepWithSeveralInputsAnnouncesTheirEventsInTheOrderTheyHappened() {
        StateChanges changes = step(c -> {
            accept(accepted("t", 50, List.of(), null), c);
            state.cancel("t", now, c);
            accept(accepted("u", 50, List.of(), null), c);
        });

        assertThat(changes.timeline()).extracting(Event::type, Event::taskId).containsExactly(
                tuple(EventType.TASK_QUEUED, "t"), tuple(EventType.TASK_CANCELLED, "t"), tuple(EventType.TASK_QUEUED, "u"));
        assertThat(changes.events()).extracting(Event::type).containsExactly(EventType.TASK_CANCELLED);
    }

    @Test
    void cancellingEndsAWaitingTaskAtOnceAndARunningOneAlsoOnItsAgent() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> accept(accepted("running", 50, List.of(), null), c));
        step(c -> accept(accepted("queued", 50, List.of(), null), c));
        step(c -> accept(accepted("pending", 50, List.of("queued"), null), c));

        StateChanges queued = step(c -> assertThat(state.cancel("queued", now, c)).isTrue());
        assertThat(queued.events()).extracting(Event::type, Event::taskId).containsExactly(
                tuple(EventType.TASK_CANCELLED, "queued"), tuple(EventType.TASK_FAILED, "pending"));
        assertThat(queued.events().getFirst().data()).isEqualTo(Map.of("reason", "CANCEL_REQUESTED", "errorMessage", "cancelled on request"));
        assertThat(queued.interrupts()).isEmpty();

        StateChanges running = step(c -> state.cancel("running", now, c));
        assertThat(running.events()).extracting(Event::type).containsExactly(EventType.TASK_CANCELLED);
        assertThat(running.events().getFirst().data()).containsEntry("attempt", 1);
        assertThat(running.interrupts()).containsExactly(new TaskInterrupt("running", 1, "a", TaskReason.CANCEL_REQUESTED, now));
        assertThat(state.freeAgentCount()).isEqualTo(1);
        assertThat(step(c -> state.attemptEnded("running", 1, TaskStatus.CANCELLED, Map.of(), now, c)).isEmpty()).isTrue();
        assertThat(step(c -> assertThat(state.cancel("running", now, c)).isFalse()).isEmpty()).isTrue();
    }

    @Test
    void aCancelRequestForATaskNotReceivedYetIsKeptUntilItArrives() {
        StateChanges kept = step(c -> state.rememberCancel("early", c));
        assertThat(kept.cancelsRemembered()).containsExactly("early");

        StateChanges arrival = step(c -> accept(accepted("early", 50, List.of(), null), c));

        assertThat(arrival.events()).extracting(Event::type).containsExactly(EventType.TASK_CANCELLED);
        assertThat(arrival.cancelsForgotten()).containsExactly("early");
        assertThat(arrival.queued()).isEmpty();
    }

    @Test
    void anAttemptCancelledBecauseItsAgentStoppedRunsAgain() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> state.agentChanged("b", AgentStatus.RUNNING, now, c));
        step(c -> accept(accepted("t", 50, List.of(), "b"), c));
        step(c -> state.agentChanged("b", AgentStatus.STOPPED, now, c));

        StateChanges stopped = step(c -> state.attemptEnded("t", 1, TaskStatus.CANCELLED, Map.of("reason", "the agent was stopped"), now, c));

        assertThat(stopped.events()).singleElement().satisfies(e -> assertThat(e.data()).containsEntry("reason", "AGENT_STOPPED"));
        assertThat(stopped.assigned()).as("it is bound to the stopped agent").isEmpty();
        assertThat(assignedIds(step(c -> state.agentChanged("b", AgentStatus.RUNNING, now, c)))).containsExactly("t");
    }

    @Test
    void aBoundTaskWaitsForItsAgent() {
        step(c -> state.agentChanged("b", AgentStatus.RUNNING, now, c));

        assertThat(step(c -> accept(accepted("for-a", 0, List.of(), "a"), c)).assigned()).isEmpty();
        assertThat(assignedIds(step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c)))).containsExactly("for-a");
    }

    @Test
    void anUnboundTaskGoesToAFreeAgentWithoutBoundWorkSoThatTheBoundTaskCanRunToo() {
        step(c -> accept(accepted("for-anyone", 0, List.of(), null), c));
        step(c -> accept(accepted("for-a", 10, List.of(), "a"), c));

        StateChanges started = step(c -> {
            state.agentChanged("a", AgentStatus.RUNNING, now, c);
            state.agentChanged("b", AgentStatus.RUNNING, now, c);
        });

        assertThat(started.assigned()).extracting(ScheduledTask::taskId, ScheduledTask::assignedAgent)
                .containsExactly(tuple("for-anyone", "b"), tuple("for-a", "a"));
    }

    @Test
    void onlyRunningAgentsGetWork() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> state.agentChanged("a", AgentStatus.PAUSED, now, c));
        step(c -> state.agentChanged("b", AgentStatus.STOPPED, now, c));

        assertThat(step(c -> accept(accepted("t", 50, List.of(), null), c)).assigned()).isEmpty();
        assertThat(assignedIds(step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c)))).containsExactly("t");
    }

    @Test
    void anUnboundTaskGoesToTheLongestIdleAgent() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));
        step(c -> state.agentChanged("b", AgentStatus.RUNNING, now, c));
        step(c -> accept(accepted("t1", 50, List.of(), null), c));
        step(c -> complete("t1", 1, null, c));

        StateChanges next = step(c -> accept(accepted("t2", 50, List.of(), null), c));

        assertThat(next.assigned()).extracting(ScheduledTask::assignedAgent).containsExactly("b");
    }

    @Test
    void aRepeatedAgentStatusChangesNothing() {
        step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c));

        assertThat(step(c -> state.agentChanged("a", AgentStatus.RUNNING, now, c)).isEmpty()).isTrue();
    }

    @Test
    void aTaskCannotBeAcceptedTwice() {
        step(c -> accept(accepted("t", 50, List.of(), null), c));

        assertThatThrownBy(() -> step(c -> accept(accepted("t", 50, List.of(), null), c)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("t");
    }

    @Test
    void restoredAssignmentsKeepTheirAgentsBusyAndRestoredReadyWorkIsAssigned() {
        SchedulerState restored = new SchedulerState(7, LEASE, GRACE);
        StateChanges changes = new StateChanges();
        restored.restoreAgent("a", AgentStatus.RUNNING, now);
        restored.restoreAgent("b", AgentStatus.RUNNING, now);
        restored.restore(new ScheduledTask(accepted("held", 50, List.of(), null), 3, TaskStatus.RUNNING, 2, "a"), Map.of(), now, changes);
        restored.restore(new ScheduledTask(accepted("waiting", 50, List.of("held"), null), 5, TaskStatus.PENDING, 0, null), Map.of(), now, changes);
        restored.restore(new ScheduledTask(accepted("ready", 50, List.of(), null), 6, TaskStatus.QUEUED, 0, null), Map.of(), now, changes);
        restored.dispatch(now, changes);

        assertThat(assignedIds(changes)).containsExactly("ready");
        assertThat(changes.assigned().getFirst().assignedAgent()).isEqualTo("b");

        StateChanges completion = new StateChanges();
        restored.attemptEnded("held", 2, TaskStatus.COMPLETED, Map.of(), now, completion);
        restored.dispatch(now, completion);
        assertThat(assignedIds(completion)).containsExactly("waiting");
        assertThat(completion.assigned().getFirst().assignedAgent()).isEqualTo("a");

        StateChanges next = new StateChanges();
        restored.accept(accepted("new", 50, List.of(), null), Map.of(), now, next);
        assertThat(next.tasks().getFirst().seq()).isEqualTo(8);
    }

    @Test
    void aRestoredPendingTaskIsQueuedOrFailedByWhatItsDependenciesBecame() {
        SchedulerState restored = new SchedulerState(1, LEASE, GRACE);
        StateChanges changes = new StateChanges();

        restored.restore(new ScheduledTask(accepted("t", 50, List.of("d"), null), 1, TaskStatus.PENDING, 0, null),
                Map.of("d", new StoredTask(TaskStatus.COMPLETED, null)), now, changes);
        restored.restore(new ScheduledTask(accepted("u", 50, List.of("e"), null), 2, TaskStatus.PENDING, 0, null),
                Map.of("e", new StoredTask(TaskStatus.CANCELLED, null)), now, changes);

        assertThat(changes.queued()).extracting(ScheduledTask::taskId).containsExactly("t");
        assertThat(changes.events()).singleElement().satisfies(e -> {
            assertThat(e.taskId()).isEqualTo("u");
            assertThat(e.data()).containsEntry("dependencyId", "e");
        });
    }

    @Test
    void aRetryWhoseBackoffPassedWhileTheSchedulerWasDownIsQueuedOnRestore() {
        SchedulerState restored = new SchedulerState(1, LEASE, GRACE);
        StateChanges changes = new StateChanges();
        restored.restoreAgent("a", AgentStatus.RUNNING, now);

        restored.restore(new ScheduledTask(accepted("due", 50, List.of(), null), 1, TaskStatus.QUEUED, 1, null, 1, now.minusSeconds(1)),
                Map.of(), now, changes);
        restored.restore(new ScheduledTask(accepted("later", 40, List.of(), null), 2, TaskStatus.QUEUED, 1, null, 1, now.plusSeconds(5)),
                Map.of(), now, changes);
        restored.dispatch(now, changes);

        assertThat(assignedIds(changes)).containsExactly("due");
        assertThat(restored.delayedCount()).isEqualTo(1);
    }

    private void accept(AcceptedTask task, StateChanges changes) {
        state.accept(task, Map.of(), now, changes);
    }

    private void complete(String taskId, int attempt, Object output, StateChanges changes) {
        java.util.Map<String, Object> data = new java.util.HashMap<>();
        data.put("output", output);
        state.attemptEnded(taskId, attempt, TaskStatus.COMPLETED, data, now, changes);
    }

    private void fail(String taskId, int attempt, StateChanges changes) {
        state.attemptEnded(taskId, attempt, TaskStatus.FAILED, Map.of("errorType", "java.lang.RuntimeException", "errorMessage", "boom"),
                now, changes);
    }

    private static HostHeartbeat heartbeat(String agentId, String taskId, int attempt) {
        return new HostHeartbeat("h", null, List.of(new HostHeartbeat.AgentLease(agentId, taskId, attempt)));
    }

    private static AcceptedTask numbered(String id, int priority, long submissionSeq) {
        return new AcceptedTask(id, "job " + id, Map.of(), priority, List.of(), 30, null, Instant.now(), submissionSeq, null, null);
    }

    private StateChanges step(Consumer<StateChanges> input) {
        return step(state, input);
    }

    private StateChanges step(SchedulerState stepped, Consumer<StateChanges> input) {
        StateChanges changes = new StateChanges();
        input.accept(changes);
        stepped.dispatch(now, changes);
        return changes;
    }

    private static List<String> assignedIds(StateChanges changes) {
        return changes.assigned().stream().map(ScheduledTask::taskId).toList();
    }
}
