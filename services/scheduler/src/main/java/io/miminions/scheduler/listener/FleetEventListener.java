package io.miminions.scheduler.listener;

import io.miminions.model.Event;
import io.miminions.model.Json;
import io.miminions.scheduler.service.TaskScheduler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the fleet's events ({@code miminions.events}, group {@code scheduler-events}) for agent
 * lifecycles and task outcomes, a polled batch at a time; the batch's offsets are committed once the
 * scheduler has saved what it changed.
 */
@ApplicationScoped
public class FleetEventListener {

    private static final Logger LOG = Logger.getLogger(FleetEventListener.class);

    private final TaskScheduler scheduler;

    public FleetEventListener(TaskScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Incoming("fleet-events")
    public Uni<Void> onEvents(List<String> records) {
        List<Event> events = new ArrayList<>(records.size());
        for (String json : records) {
            Event event = parse(json);
            if (event != null) {
                events.add(event);
            }
        }
        return scheduler.record(events);
    }

    private static Event parse(String json) {
        Event event;
        try {
            event = json == null ? null : Json.read(json, Event.class);
        } catch (IllegalArgumentException e) {
            LOG.errorf("skipping a record on the events that is not an Event: %s", e.getMessage());
            return null;
        }
        if (event == null || event.type() == null) {
            LOG.errorf("skipping an event without a type: %s", json);
            return null;
        }
        return event;
    }
}
