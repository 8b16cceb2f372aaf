package io.miminions.intake.service;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Group commit for single submissions: one round (one transaction) runs at a time, and every
 * submission that arrives meanwhile waits and joins the next round. Submissions are decided under
 * one lock anyway, so taking them one transaction each would bound the intake by one transaction's
 * latency; a round costs about as much for fifty submissions as for one.
 *
 * @param <C> a submission
 * @param <V> the verdict on it
 */
final class SubmissionRounds<C, V> {

    private record Waiting<C, V>(C submission, CompletableFuture<V> verdict) {
    }

    private final Function<List<C>, Uni<List<V>>> round;
    private final Queue<Waiting<C, V>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    /** @param round decides and stores the submissions of one round, answering one verdict per submission, in their order */
    SubmissionRounds(Function<List<C>, Uni<List<V>>> round) {
        this.round = round;
    }

    /** Decides on the submission in the next round; answers on the caller's Vert.x context. */
    Uni<V> submit(C submission) {
        return CallerContext.answerOnCallersContext(Uni.createFrom().deferred(() -> {
            Waiting<C, V> entry = new Waiting<>(submission, new CompletableFuture<>());
            waiting.add(entry);
            startRound();
            return Uni.createFrom().completionStage(entry.verdict());
        }));
    }

    /** Starts a round with everything waiting, unless one runs; the end of each round starts the next. */
    private void startRound() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        List<Waiting<C, V>> entries = new ArrayList<>();
        for (Waiting<C, V> entry = waiting.poll(); entry != null; entry = waiting.poll()) {
            entries.add(entry);
        }
        if (entries.isEmpty()) {
            running.set(false);
            if (!waiting.isEmpty()) {
                startRound();
            }
            return;
        }
        Uni.createFrom().deferred(() -> round.apply(entries.stream().map(Waiting::submission).toList()))
                .subscribe().with(verdicts -> {
                    for (int i = 0; i < entries.size(); i++) {
                        entries.get(i).verdict().complete(verdicts.get(i));
                    }
                    next();
                }, failure -> {
                    entries.forEach(entry -> entry.verdict().completeExceptionally(failure));
                    next();
                });
    }

    private void next() {
        running.set(false);
        startRound();
    }
}
