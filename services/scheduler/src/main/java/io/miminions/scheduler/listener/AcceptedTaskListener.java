package io.miminions.scheduler.listener;

import io.miminions.model.AcceptedTask;
import io.miminions.model.Json;
import io.miminions.observability.TraceHeaders;
import io.miminions.scheduler.service.TaskScheduler;
import io.miminions.scheduler.service.TaskScheduler.Arrival;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the accepted tasks ({@code miminions.tasks}, group {@code scheduler}) a polled batch at a
 * time; the batch's offsets are committed once the scheduler has saved its tasks. A record's
 * {@code traceparent} header names the task's trace.
 */
@ApplicationScoped
public class AcceptedTaskListener {

    private static final Logger LOG = Logger.getLogger(AcceptedTaskListener.class);

    private final TaskScheduler scheduler;

    public AcceptedTaskListener(TaskScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Incoming("accepted-tasks")
    public Uni<Void> onTasks(ConsumerRecords<String, String> records) {
        List<Arrival> arrivals = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            AcceptedTask task = parse(record.value());
            if (task != null) {
                arrivals.add(new Arrival(task, traceparentOf(record)));
            }
        }
        return arrivals.isEmpty() ? Uni.createFrom().voidItem() : scheduler.accept(arrivals);
    }

    private static AcceptedTask parse(String json) {
        AcceptedTask task;
        try {
            task = json == null ? null : Json.read(json, AcceptedTask.class);
        } catch (IllegalArgumentException e) {
            LOG.errorf("skipping a record on the accepted tasks that is not an AcceptedTask: %s", e.getMessage());
            return null;
        }
        if (task == null || task.taskId() == null) {
            LOG.errorf("skipping an accepted task without a task id: %s", json);
            return null;
        }
        return task;
    }

    private static String traceparentOf(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader(TraceHeaders.TRACEPARENT);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
