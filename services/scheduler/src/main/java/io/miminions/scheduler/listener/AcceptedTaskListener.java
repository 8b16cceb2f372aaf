package io.miminions.scheduler.listener;

import io.miminions.model.AcceptedTask;
import io.miminions.model.Json;
import io.miminions.observability.TraceHeaders;
import io.miminions.scheduler.service.TaskScheduler;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the accepted tasks ({@code miminions.tasks}, group {@code scheduler}). A record's offset is
 * committed once the scheduler has saved the task. The record's {@code traceparent} header names the
 * task's trace.
 */
@ApplicationScoped
public class AcceptedTaskListener {

    private static final Logger LOG = Logger.getLogger(AcceptedTaskListener.class);

    private final TaskScheduler scheduler;

    public AcceptedTaskListener(TaskScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Incoming("accepted-tasks")
    public Uni<Void> onTask(String json, IncomingKafkaRecordMetadata<String, String> metadata) {
        AcceptedTask task;
        try {
            task = json == null ? null : Json.read(json, AcceptedTask.class);
        } catch (IllegalArgumentException e) {
            LOG.errorf("skipping a record on the accepted tasks that is not an AcceptedTask: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (task == null || task.taskId() == null) {
            LOG.errorf("skipping an accepted task without a task id: %s", json);
            return Uni.createFrom().voidItem();
        }
        return scheduler.accept(task, traceparentOf(metadata));
    }

    private static String traceparentOf(IncomingKafkaRecordMetadata<String, String> metadata) {
        Header header = metadata.getHeaders().lastHeader(TraceHeaders.TRACEPARENT);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
