package io.miminions.intake.listener;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Retries the work of a listener that fails for reasons outside the records (the database or the
 * broker unreachable), with a pause that grows from 200 ms to 5 s, for as long as it takes: the
 * records are neither dropped nor parked meanwhile, and the batch is acknowledged only once its work
 * is done.
 */
final class UntilDone {

    private static final Logger LOG = Logger.getLogger(UntilDone.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private UntilDone() {
    }

    /** Subscribes to a new {@code attempt} after each failure; {@code work} names it in the log. */
    static <T> Uni<T> retry(String work, Supplier<Uni<T>> attempt) {
        return Uni.createFrom().deferred(attempt::get)
                .onFailure().invoke(failure -> LOG.warnf("cannot %s, retrying: %s", work, failure))
                .onFailure().retry().withBackOff(FIRST_PAUSE, MAX_PAUSE).indefinitely();
    }
}
