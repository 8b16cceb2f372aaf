package io.miminions.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class OutboxRelayTest {

    @Test
    void anOutboxInsertBecomesARecordWithItsTopicPartitionKeyAndIdHeader() {
        ProducerRecord<String, String> record = OutboxRelay.toRecord(OutboxRelay.toOutboxRecord("""
                {"before":null,"after":{"id":"r1","topic":"miminions.tasks","kafka_partition":3,
                 "kafka_key":"t1","payload":"{\\"a\\":1}","created_at":"2026-11-24T00:00:00Z"},"op":"c"}
                """));

        assertThat(record.topic()).isEqualTo("miminions.tasks");
        assertThat(record.partition()).isEqualTo(3);
        assertThat(record.key()).isEqualTo("t1");
        assertThat(record.value()).isEqualTo("{\"a\":1}");
        assertThat(new String(record.headers().lastHeader("miminions.id").value(), StandardCharsets.UTF_8)).isEqualTo("r1");
    }

    @Test
    void aRecordWithoutPartitionIsPartitionedByKey() {
        ProducerRecord<String, String> record = OutboxRelay.toRecord(OutboxRelay.toOutboxRecord("""
                {"after":{"id":"r2","topic":"miminions.events","kafka_partition":null,"kafka_key":"k","payload":"{}"},"op":"c"}
                """));

        assertThat(record.partition()).isNull();
    }

    @Test
    void aRowWithoutPayloadBecomesATombstone() {
        ProducerRecord<String, String> record = OutboxRelay.toRecord(OutboxRelay.toOutboxRecord("""
                {"after":{"id":"r3","topic":"miminions.agents.control","kafka_partition":null,"kafka_key":"a1","payload":null},"op":"c"}
                """));

        assertThat(record.key()).isEqualTo("a1");
        assertThat(record.value()).isNull();
    }

    @Test
    void theDeleteThatKeepsTheTableEmptyIsNotRelayed() {
        assertThat(OutboxRelay.toOutboxRecord("{\"before\":{\"id\":\"r1\"},\"after\":null,\"op\":\"d\"}")).isNull();
        assertThat(OutboxRelay.toOutboxRecord(null)).isNull();
    }
}
