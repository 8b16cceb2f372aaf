package io.miminions.intake.outbox;

import io.miminions.outbox.OutboxRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code intake.outbox}, the table the outbox relay reads from the WAL (see {@code OutboxTable}). */
@Entity
@Table(name = "outbox")
public class OutboxEntry {

    @Id
    public String id;

    @Column(nullable = false)
    public String topic;

    @Column(name = "kafka_partition")
    public Integer kafkaPartition;

    @Column(name = "kafka_key")
    public String kafkaKey;

    /** Null for a tombstone. */
    @Column(columnDefinition = "text")
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The W3C trace context the record continues; the relay sends it as the {@code traceparent} header. */
    public String traceparent;

    static OutboxEntry of(OutboxRecord record) {
        OutboxEntry entry = new OutboxEntry();
        entry.id = record.id();
        entry.topic = record.topic();
        entry.kafkaPartition = record.partition();
        entry.kafkaKey = record.key();
        entry.payload = record.payload();
        entry.createdAt = Instant.now();
        entry.traceparent = record.traceparent();
        return entry;
    }
}
