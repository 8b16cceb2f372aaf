package io.miminions.agenthost.service;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether one hosted agent is running or paused, and whether its latest command wants it paused.
 * Commands ask ({@link #requestPause()}, {@link #requestResume()}) from the control consumer's
 * thread; the agent's own thread acts on them between tasks ({@link #next()}), so a pause takes
 * effect once the running task has ended, and a resume that comes before that cancels the pause.
 */
final class PauseControl {

    /** Where the agent is. */
    enum Phase { RUNNING, PAUSING, PAUSED, RESUMING }

    /**
     * What the agent's thread does now, in this order.
     *
     * @param pauseCancelled a pause was asked for and cancelled by a resume before it took effect: record that it resumed
     * @param pause          call {@code onPause}, save the state, record that it paused, then {@link #paused()}
     * @param resume         call {@code onResume}, record that it resumed, then {@link #resumed()}
     */
    record Step(boolean pauseCancelled, boolean pause, boolean resume) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean pauseWanted;
    private Phase phase;
    private boolean pauseCancelled;

    /** @param paused whether the agent begins paused */
    PauseControl(boolean paused) {
        this.pauseWanted = paused;
        this.phase = paused ? Phase.PAUSED : Phase.RUNNING;
    }

    /** A PAUSE command: the agent pauses once its running task has ended. */
    void requestPause() {
        withLock(() -> pauseWanted = true);
    }

    /** A RESUME command: cancels a pause that has not taken effect yet, else resumes the paused agent. */
    void requestResume() {
        withLock(() -> {
            if (pauseWanted && phase == Phase.RUNNING) {
                pauseCancelled = true;
            }
            pauseWanted = false;
        });
    }

    /** The agent's thread takes what it has to do now. */
    Step next() {
        lock.lock();
        try {
            boolean cancelled = pauseCancelled;
            pauseCancelled = false;
            if (pauseWanted && phase == Phase.RUNNING) {
                phase = Phase.PAUSING;
                return new Step(cancelled, true, false);
            }
            if (!pauseWanted && phase == Phase.PAUSED) {
                phase = Phase.RESUMING;
                return new Step(cancelled, false, true);
            }
            return new Step(cancelled, false, false);
        } finally {
            lock.unlock();
        }
    }

    /** The pause {@link #next()} asked for took effect. */
    void paused() {
        withLock(() -> phase = Phase.PAUSED);
    }

    /** The resume {@link #next()} asked for took effect. */
    void resumed() {
        withLock(() -> phase = Phase.RUNNING);
    }

    /** True while the agent runs and no pause is asked for: it may take its next assignment. */
    boolean takesAssignments() {
        lock.lock();
        try {
            return !pauseWanted && phase == Phase.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /** True once a pause has taken effect, until a resume does. */
    boolean isPaused() {
        lock.lock();
        try {
            return phase == Phase.PAUSED;
        } finally {
            lock.unlock();
        }
    }

    /** True while a pause is asked for and has not taken effect yet. */
    boolean isPausePending() {
        lock.lock();
        try {
            return pauseWanted && phase != Phase.PAUSED;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a command arrives or {@link #wake()} is called, at most {@code timeout}. */
    void awaitChange(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            changed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the agent's thread if it waits in {@link #awaitChange(Duration)}. */
    void wake() {
        withLock(() -> {
        });
    }

    private void withLock(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
