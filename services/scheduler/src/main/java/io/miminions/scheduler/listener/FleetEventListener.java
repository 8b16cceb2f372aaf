package io.miminions.scheduler.listener;

import io.miminions.model.Event;
import io.miminions.model.Json;
import io.miminions.scheduler.service.TaskScheduler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the fleet's events ({@code miminions.events}, group {@code scheduler-events}) for agent
 * lifecycles and task outcomes. A record's offset is committed once the scheduler has saved what it
 * changed.
 */
@ApplicationScoped
public class FleetEventListener {

    private static final Logger LOG = Logger.getLogger(FleetEventListener.class);

    private final TaskScheduler scheduler;

    public FleetEventListener(TaskScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Incoming("fleet-events")
    public Uni<Void> onEvent(String json) {
        Event event;
        try {
            event = json == null ? null : Json.read(json, Event.class);
        } catch (IllegalArgumentException e) {
            LOG.errorf("skipping a record on the events that is not an Event: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (event == null || event.type() == null) {
            LOG.errorf("skipping an event without a type: %s", json);
            return Uni.createFrom().voidItem();
        }
        return scheduler.record(event);
    }
}
