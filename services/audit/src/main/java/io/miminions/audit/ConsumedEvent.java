package io.miminions.audit;

import io.miminions.model.Event;

/**
 * An event as read from {@code miminions.events}, with the trace it belongs to.
 *
 * @param traceId the W3C trace id (32 hex digits) of the record's {@code traceparent} header: for a
 *                task's events, the trace of that task across the fleet; null when the record had none
 */
public record ConsumedEvent(Event event, String traceId) {

    /** An event without a trace (one stored before traces were kept, for example). */
    public static ConsumedEvent untraced(Event event) {
        return new ConsumedEvent(event, null);
    }
}
