package io.miminions.intake.service;

import io.miminions.intake.config.IntakeConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the REST submissions in flight: those in a round and those waiting for the next
 * ({@link SubmissionRounds}). Past the bound the intake is taking submissions more slowly than they
 * come, and waiting longer would only make every answer slow: one more than
 * {@code max-pending-submissions} is refused at once with {@link IntakeOverloadedException} (HTTP 503
 * with {@code Retry-After}).
 */
@ApplicationScoped
public class PendingSubmissions {

    private final AtomicInteger pending = new AtomicInteger();
    private final int limit;

    PendingSubmissions(IntakeConfig config) {
        this.limit = config.maxPendingSubmissions();
    }

    /** Runs the submission if fewer than the limit are in flight, else fails with {@link IntakeOverloadedException}. */
    public <T> Uni<T> run(Supplier<Uni<T>> submission) {
        return Uni.createFrom().deferred(() -> {
            if (pending.incrementAndGet() > limit) {
                pending.decrementAndGet();
                return Uni.createFrom().failure(new IntakeOverloadedException(limit));
            }
            return Uni.createFrom().deferred(submission::get).onTermination().invoke(pending::decrementAndGet);
        });
    }
}
