package io.miminions.audit;

import io.miminions.model.Event;
import java.util.List;

/**
 * One page of a query.
 *
 * @param next where to go on from, or null when this is the last page
 */
public record EventPage(List<Event> events, Cursor next) {
}
