package io.miminions.audit.listener;

import io.miminions.model.Event;
import io.miminions.model.Json;
import java.time.Instant;

/** Reads the value of a {@code miminions.events} record and checks that it can be stored. */
final class EventDecoder {

    /** Times outside these years have no partition name and are surely wrong. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private EventDecoder() {
    }

    /**
     * @return the event, with id, type, severity and a plausible time present
     * @throws IllegalArgumentException saying why the value is not a valid event
     */
    static Event decode(String value) {
        if (value == null) {
            throw new IllegalArgumentException("the record has no value");
        }
        Event event = Json.read(value, Event.class);
        if (event == null) {
            throw new IllegalArgumentException("the value is JSON null");
        }
        require(event.eventId() != null && !event.eventId().isBlank(), "eventId");
        require(event.type() != null, "type");
        require(event.severity() != null, "severity");
        require(event.time() != null, "time");
        if (event.time().isBefore(EARLIEST) || event.time().isAfter(LATEST)) {
            throw new IllegalArgumentException("the event's time " + event.time() + " is not between " + EARLIEST
                    + " and " + LATEST);
        }
        return event;
    }

    private static void require(boolean present, String field) {
        if (!present) {
            throw new IllegalArgumentException("the event has no " + field);
        }
    }
}
