package io.miminions.client;

import io.miminions.model.api.Problem;
import java.time.Duration;

/**
 * The fleet refused a request because it is overloaded (HTTP 503); nothing was stored, so the same
 * request may be sent again after {@link #retryAfter()}.
 */
public class OverloadedException extends ApiException {

    private final Duration retryAfter;

    public OverloadedException(Problem problem, Duration retryAfter) {
        super(problem);
        this.retryAfter = retryAfter;
    }

    /** The pause the fleet asked for ({@code Retry-After}), one second when it named none. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
