package io.miminions.outbox;

import io.miminions.model.Event;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import io.miminions.observability.TraceHeaders;
import java.util.UUID;

/**
 * One record a service must get onto Kafka, written to its outbox table in the same transaction
 * as the state change it belongs to.
 *
 * @param id          the record id; sent as header {@link Topics#ID_HEADER} so consumers can deduplicate
 * @param topic       the Kafka topic
 * @param partition   the partition, or null to partition by key
 * @param key         the Kafka key
 * @param payload     the Kafka value (JSON); null for a tombstone, which deletes the key from a compacted topic
 * @param traceparent the W3C trace context the record continues, sent as header {@link TraceHeaders#TRACEPARENT};
 *                    null for none
 * @param eventType   for an event, its type, sent as header {@link Topics#TYPE_HEADER}; null for other records
 */
public record OutboxRecord(String id, String topic, Integer partition, String key, String payload, String traceparent,
        String eventType) {

    /** A record that is not an event. */
    public OutboxRecord(String id, String topic, Integer partition, String key, String payload, String traceparent) {
        this(id, topic, partition, key, payload, traceparent, null);
    }

    /** A record that is not an event, outside any trace. */
    public OutboxRecord(String id, String topic, Integer partition, String key, String payload) {
        this(id, topic, partition, key, payload, null);
    }

    /** An event for {@link Topics#EVENTS}, identified by its event id. */
    public static OutboxRecord event(Event event) {
        return new OutboxRecord(event.eventId(), Topics.EVENTS, null, event.key(), Json.write(event), null, event.type().name());
    }

    /** A tombstone for the key, with a fresh id: the key's records go when the topic is compacted. */
    public static OutboxRecord tombstone(String topic, String key) {
        return new OutboxRecord(UUID.randomUUID().toString(), topic, null, key, null);
    }

    /** Any record, with a fresh id. */
    public static OutboxRecord of(String topic, Integer partition, String key, Object value) {
        return new OutboxRecord(UUID.randomUUID().toString(), topic, partition, key, Json.write(value));
    }

    /** This record as part of the trace the {@code traceparent} names (null: of none). */
    public OutboxRecord inTrace(String traceparent) {
        return new OutboxRecord(id, topic, partition, key, payload, traceparent, eventType);
    }
}
