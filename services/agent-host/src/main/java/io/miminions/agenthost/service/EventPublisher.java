package io.miminions.agenthost.service;

import io.miminions.agenthost.config.KafkaClients;
import io.miminions.model.Event;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/** Records events on {@link Topics#EVENTS}: key {@link Event#key()}, header {@link Topics#ID_HEADER} = the event id. */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final KafkaProducer<String, String> producer;

    public EventPublisher(KafkaClients kafka) {
        this.producer = kafka.newProducer();
    }

    /** Sends the event; the future completes once Kafka has acknowledged it. A failure is logged here too. */
    public CompletableFuture<RecordMetadata> publish(Event event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.EVENTS, event.key(), Json.write(event));
        record.headers().add(Topics.ID_HEADER, event.eventId().getBytes(StandardCharsets.UTF_8));
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    failed(event, error, acknowledged);
                } else {
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
