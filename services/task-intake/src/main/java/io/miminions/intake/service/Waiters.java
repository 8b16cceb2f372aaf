package io.miminions.intake.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Long polls: a caller waits until a task or agent reaches a state it wants, or a deadline passes.
 * The event projection signals an id each time it changes that row; a signal only means "read
 * again". The waiter registers before it reads, so a change between read and wait is not missed.
 */
@ApplicationScoped
public class Waiters {

    private final Map<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

    /**
     * Reads {@code id} with {@code read} until {@code done} holds or {@code deadline} passes, and
     * answers the last value read.
     */
    public <T> Uni<T> await(String id, Function<String, Uni<T>> read, Predicate<T> done, Instant deadline) {
        CompletableFuture<Void> changed = register(id);
        return read.apply(id).chain(value -> {
            Duration left = Duration.between(Instant.now(), deadline);
            if (done.test(value) || left.isNegative() || left.isZero()) {
                unregister(id, changed);
                return Uni.createFrom().item(value);
            }
            // A signal completes the future on the signaller's thread; the next read runs on the waiter's own
            // Vert.x context, never inside the signaller's (whose database session it would otherwise meet).
            return CallerContext.answerOnCallersContext(Uni.createFrom().completionStage(changed))
                    .ifNoItem().after(left).recoverWithItem((Void) null)
                    .eventually(() -> unregister(id, changed))
                    .chain(() -> await(id, read, done, deadline));
        });
    }

    /** Wakes everyone waiting on {@code id}. */
    public void signal(String id) {
        Set<CompletableFuture<Void>> woken = waiting.remove(id);
        if (woken != null) {
            woken.forEach(f -> f.complete(null));
        }
    }

    private CompletableFuture<Void> register(String id) {
        CompletableFuture<Void> changed = new CompletableFuture<>();
        waiting.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(changed);
        return changed;
    }

    private void unregister(String id, CompletableFuture<Void> changed) {
        waiting.computeIfPresent(id, (k, set) -> {
            set.remove(changed);
            return set.isEmpty() ? null : set;
        });
    }
}
