package io.miminions.client;

import io.miminions.model.Event;
import java.util.List;

/**
 * One page of events.
 *
 * @param nextCursor the cursor of the next page, or null when this is the last one
 */
public record EventPage(List<Event> events, String nextCursor) {

    public EventPage {
        events = List.copyOf(events);
    }

    public boolean hasNext() {
        return nextCursor != null;
    }

    public int size() {
        return events.size();
    }
}
