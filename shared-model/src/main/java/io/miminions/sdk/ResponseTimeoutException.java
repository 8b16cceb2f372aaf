package io.miminions.sdk;

import java.time.Duration;

/** No response with the awaited correlation id arrived in time ({@link AgentContext#waitForResponse}). */
public class ResponseTimeoutException extends RuntimeException {

    private final String correlationId;

    public ResponseTimeoutException(String correlationId, Duration timeout) {
        super("no response with correlation id " + correlationId + " within " + timeout);
        this.correlationId = correlationId;
    }

    public String correlationId() {
        return correlationId;
    }
}
