package io.miminions.intake.listener;

import io.miminions.intake.service.CallerContext;
import io.miminions.model.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Parks refused records of {@code miminions.tasks.submit} in {@code miminions.dlq}, one by one, the
 * way SmallRye's dead-letter failure strategy would: the original key, bytes and headers, plus
 * {@code dead-letter-reason}, {@code dead-letter-exception-class-name}, {@code dead-letter-topic},
 * {@code dead-letter-partition} and {@code dead-letter-offset}. That strategy applies to a whole
 * batch, not to single records of it, hence this producer of its own (acks=all, idempotent). Sends
 * go out from one thread of their own, in the order they are asked for, so that the records of a batch
 * keep their order in the dead-letter topic (unless one has to be sent again).
 */
@ApplicationScoped
public class DeadLetters {

    /** Header on dead-letter records: the class of the refusal. */
    private static final String EXCEPTION_CLASS_HEADER = "dead-letter-exception-class-name";

    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("task-intake-dead-letters").daemon().factory());

    DeadLetters(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "task-intake-dead-letters");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Writes the record to the dead-letter topic; completes once the broker has acknowledged it, on
     * the caller's Vert.x context. The send runs on the sending thread, never the caller's, since the
     * producer blocks while it waits for the topic's metadata.
     */
    public Uni<Void> park(ConsumerRecord<String, byte[]> record, RuntimeException reason) {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.DLQ, record.key(), record.value());
        for (Header header : record.headers()) {
            dead.headers().add(header);
        }
        header(dead, Topics.DLQ_REASON_HEADER, reason.getMessage());
        header(dead, EXCEPTION_CLASS_HEADER, reason.getClass().getName());
        header(dead, Topics.DLQ_TOPIC_HEADER, record.topic());
        header(dead, Topics.DLQ_PARTITION_HEADER, Integer.toString(record.partition()));
        header(dead, Topics.DLQ_OFFSET_HEADER, Long.toString(record.offset()));
        Uni<Void> sent = Uni.createFrom().<Void>emitter(emitter -> producer.send(dead, (metadata, failure) -> {
            if (failure == null) {
                emitter.complete(null);
            } else {
                emitter.fail(failure);
            }
        })).runSubscriptionOn(sender);
        return CallerContext.answerOnCallersContext(sent);
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @PreDestroy
    void close() {
        sender.shutdown();
        producer.close(Duration.ofSeconds(5));
    }
}
