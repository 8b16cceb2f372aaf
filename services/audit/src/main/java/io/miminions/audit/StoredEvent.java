package io.miminions.audit;

import io.miminions.model.Event;

/**
 * An event as the store keeps it.
 *
 * @param seq its place in the order of arrival, unique; ties of {@code time} are ordered by it
 */
public record StoredEvent(Event event, long seq) {
}
