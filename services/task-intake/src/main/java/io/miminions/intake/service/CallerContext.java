package io.miminions.intake.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Kafka clients complete their futures on their own threads, while Hibernate Reactive sessions and
 * message acknowledgements belong on the Vert.x context of the work that started them.
 */
public final class CallerContext {

    private CallerContext() {
    }

    /** {@code uni}, answering on the Vert.x context of the thread that calls this, if it has one. */
    public static <T> Uni<T> answerOnCallersContext(Uni<T> uni) {
        Context caller = Vertx.currentContext();
        return caller == null ? uni : uni.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }
}
