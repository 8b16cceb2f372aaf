package io.miminions.agenthost.service;

import io.miminions.agenthost.HostEvents;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The task an agent is executing, on its own virtual thread, and the outcome to record for it. */
final class RunningTask {

    /** The attempt the current thread executes, on a task's own thread. */
    static final ThreadLocal<RunningTask> OWN = new ThreadLocal<>();

    final Assignment assignment;
    final Thread worker;
    /** The outcome to record; completed by the worker, or first by a cancel or an abandon. */
    final CompletableFuture<Event> outcome = new CompletableFuture<>();
    volatile boolean cancelled;
    /** Set when {@code execute} ran out of heap: the attempt failed, and so does the agent. */
    volatile OutOfMemoryError outOfMemory;

    RunningTask(Assignment assignment, Supplier<Event> execution) {
        this.assignment = assignment;
        this.worker = Thread.ofVirtual().name("task-" + assignment.taskId()).unstarted(() -> {
            OWN.set(this);
            try {
                outcome.complete(execution.get());
            } catch (OutOfMemoryError e) {
                outOfMemory = e;
                outcome.complete(HostEvents.attemptFailed(assignment, e, 0));
            } catch (Throwable e) {
                outcome.complete(HostEvents.attemptFailed(assignment, e, 0));
            }
        });
    }

    /** Stops the attempt: it ends CANCELLED for this reason; the agent sees an interrupt and {@code isStopping()}. */
    void cancel(String reason) {
        cancelled = true;
        outcome.complete(HostEvents.attemptCancelled(assignment, reason));
        worker.interrupt();
    }

    /** Stops the attempt at its timeout: it ends TIMED_OUT; the agent sees an interrupt and {@code isStopping()}. */
    void timeOut() {
        cancelled = true;
        outcome.complete(HostEvents.attemptTimedOut(assignment));
        worker.interrupt();
    }

    /** Stops waiting for the attempt without recording an outcome: its assignment stays uncommitted and runs again. */
    void abandon() {
        cancelled = true;
        outcome.complete(null);
        worker.interrupt();
    }
}
