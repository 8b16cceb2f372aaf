package io.miminions.agenthost.service;

import io.miminions.agenthost.config.KafkaClients;
import io.miminions.agenthost.metrics.PublishedEventMetrics;
import io.miminions.agenthost.tracing.RecordTracing;
import io.miminions.model.Event;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import io.miminions.observability.TraceHeaders;
import io.opentelemetry.context.Context;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Records events on {@link Topics#EVENTS}: key {@link Event#key()}, header {@link Topics#ID_HEADER} =
 * the event id, header {@link Topics#TYPE_HEADER} = its type, and the W3C {@code traceparent} of the
 * trace current on the publishing thread (see {@link #inTraceOf}). Counts what Kafka acknowledged
 * ({@link PublishedEventMetrics}).
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final KafkaProducer<String, String> producer;
    private final RecordTracing tracing;
    private final PublishedEventMetrics metrics;

    public EventPublisher(KafkaClients kafka, RecordTracing tracing, PublishedEventMetrics metrics) {
        this.producer = kafka.newProducer();
        this.tracing = tracing;
        this.metrics = metrics;
    }

    /**
     * Handles a consumed record in the trace it carries: the events {@code work} publishes on this
     * thread continue the trace of the record (an assignment's: the trace of its task).
     */
    public <T> T inTraceOf(ConsumerRecord<?, ?> record, Supplier<T> work) {
        return tracing.call(record, work);
    }

    /** Sends the event; the future completes once Kafka has acknowledged it. A failure is logged here too. */
    public CompletableFuture<RecordMetadata> publish(Event event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.EVENTS, event.key(), Json.write(event));
        record.headers().add(Topics.ID_HEADER, event.eventId().getBytes(StandardCharsets.UTF_8));
        record.headers().add(Topics.TYPE_HEADER, event.type().name().getBytes(StandardCharsets.UTF_8));
        TraceHeaders.inject(Context.current(), record.headers());
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    failed(event, error, acknowledged);
                } else {
                    metrics.published(event);
                    acknowledged.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            failed(event, e, acknowledged);
        }
        return acknowledged;
    }

    private static void failed(Event event, Throwable error, CompletableFuture<RecordMetadata> acknowledged) {
        LOG.errorf(error, "cannot record %s %s (agent %s, task %s)", event.type(), event.eventId(), event.agentId(),
                event.taskId());
        acknowledged.completeExceptionally(error);
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
