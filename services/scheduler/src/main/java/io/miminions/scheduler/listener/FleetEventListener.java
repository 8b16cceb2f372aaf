package io.miminions.scheduler.listener;

import io.miminions.model.Event;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import io.miminions.scheduler.service.TaskScheduler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the fleet's events ({@code miminions.events}, group {@code scheduler-events}) for agent
 * lifecycles and task outcomes, a polled batch at a time; the batch's offsets are committed once the
 * scheduler has saved what it changed. An event whose {@link Topics#TYPE_HEADER} names a type the
 * scheduler does not use ({@link TaskScheduler#uses}) is passed over unparsed: four of the six events
 * of a task.
 */
@ApplicationScoped
public class FleetEventListener {

    private static final Logger LOG = Logger.getLogger(FleetEventListener.class);

    private final TaskScheduler scheduler;

    public FleetEventListener(TaskScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Incoming("fleet-events")
    public Uni<Void> onEvents(ConsumerRecords<String, String> records) {
        List<Event> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            Event event = readIfUsed(record);
            if (event != null) {
                events.add(event);
            }
        }
        return scheduler.record(events);
    }

    /** The record's event, or null when the scheduler does not use it or it is not an event. */
    static Event readIfUsed(ConsumerRecord<String, String> record) {
        return Topics.passesOver(record.headers(), TaskScheduler::uses) ? null : parse(record.value());
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
