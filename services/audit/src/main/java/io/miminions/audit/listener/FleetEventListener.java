package io.miminions.audit.listener;

import io.miminions.audit.ConsumedEvent;
import io.miminions.audit.metrics.AuditMetrics;
import io.miminions.audit.service.EventRecorder;
import io.miminions.observability.TraceHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code miminions.events} in batches (channel {@code events}, group {@code audit}). The
 * batch is acknowledged, and its offsets become committable, only when the returned {@link Uni}
 * completes, that is after its rows are committed. A record that is not a valid event is logged,
 * counted and skipped. The trace id of each record's {@code traceparent} header is stored with its event.
 */
@ApplicationScoped
public class FleetEventListener {

    private static final Logger LOG = Logger.getLogger(FleetEventListener.class);

    private final EventRecorder recorder;
    private final AuditMetrics metrics;

    FleetEventListener(EventRecorder recorder, AuditMetrics metrics) {
        this.recorder = recorder;
        this.metrics = metrics;
    }

    @Incoming("events")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        List<ConsumedEvent> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                events.add(new ConsumedEvent(EventDecoder.decode(record.value()), TraceHeaders.traceId(record.headers())));
            } catch (IllegalArgumentException e) {
                LOG.warnf("skipping %s-%d@%d (key %s): %s", record.topic(), record.partition(), record.offset(),
                        record.key(), e.getMessage());
                metrics.invalidRecord();
            }
        }
        return recorder.record(events).replaceWithVoid();
    }
}
