package io.miminions.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class OutboxRelayTest {

    @Test
    void theRecordsOfATransactionsRowAreRelayedInTheirOrder() {
        List<OutboxRecord> written = List.of(
                new OutboxRecord("r1", "miminions.tasks", 3, "t1", "{\"a\":1}", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                new OutboxRecord("r2", "miminions.agents.control", null, "a1", null));
        String row = Json.write(Map.of("id", "row-1", "records", Json.write(written)));

        OutboxRelay.OutboxChange change = OutboxRelay.toOutboxChange("{\"after\":" + row + ",\"op\":\"c\"}");

        assertThat(change.records()).containsExactlyElementsOf(written);
    }

    @Test
    void anOutboxInsertOfOneRecordBecomesARecordWithItsTopicPartitionKeyAndIdHeader() {
        ProducerRecord<String, String> record = OutboxRelay.toRecord(OutboxRelay.toOutboxChange("""
                {"before":null,"after":{"id":"r1","topic":"miminions.tasks","kafka_partition":3,
                 "kafka_key":"t1","payload":"{\\"a\\":1}","created_at":"2026-11-24T00:00:00Z"},"op":"c"}
                """).records().getFirst());

        assertThat(record.topic()).isEqualTo("miminions.tasks");
        assertThat(record.partition()).isEqualTo(3);
        assertThat(record.key()).isEqualTo("t1");
        assertThat(record.value()).isEqualTo("{\"a\":1}");
        assertThat(new String(record.headers().lastHeader("miminions.id").value(), StandardCharsets.UTF_8)).isEqualTo("r1");
    }

    @Test
    void anEventCarriesItsTypeAsAHeaderAndOtherRecordsDoNot() {
        Event event = Event.of(EventType.TASK_QUEUED, "scheduler", null, "t1", Map.of());

        ProducerRecord<String, String> record = OutboxRelay.toRecord(OutboxRecord.event(event));

        assertThat(new String(record.headers().lastHeader(Topics.TYPE_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("TASK_QUEUED");
        assertThat(OutboxRelay.toRecord(OutboxRecord.of("miminions.tasks", 0, "t1", Map.of())).headers()
                .lastHeader(Topics.TYPE_HEADER)).isNull();
    }

    @Test
    void aRecordWithoutPartitionIsPartitionedByKey() {
        ProducerRecord<String, String> record = OutboxRelay.toRecord(OutboxRelay.toOutboxChange("""
                {"after":{"id":"r2","topic":"miminions.events","kafka_partition":null,"kafka_key":"k","payload":"{}"},"op":"c"}
                """).records().getFirst());

        assertThat(record.partition()).isNull();
        assertThat(record.headers().lastHeader("traceparent")).isNull();
    }

    @Test
    void aRowWithoutPayloadBecomesATombstone() {
        ProducerRecord<String, String> record = OutboxRelay.toRecord(OutboxRelay.toOutboxChange("""
                {"after":{"id":"r3","topic":"miminions.agents.control","kafka_partition":null,"kafka_key":"a1","payload":null},"op":"c"}
                """).records().getFirst());

        assertThat(record.key()).isEqualTo("a1");
        assertThat(record.value()).isNull();
    }

    @Test
    void aDeleteIsNotRelayed() {
        assertThat(OutboxRelay.toOutboxChange("{\"before\":{\"id\":\"r1\"},\"after\":null,\"op\":\"d\"}")).isNull();
        assertThat(OutboxRelay.toOutboxChange(null)).isNull();
    }

    @Test
    void aRowsTraceparentBecomesTheRecordsTraceHeaderAndItsCommitTimeIsKept() {
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        OutboxRelay.OutboxChange change = OutboxRelay.toOutboxChange("""
                {"after":{"id":"r3","topic":"miminions.events","kafka_partition":null,"kafka_key":"k","payload":"{}",
                 "traceparent":"%s"},"source":{"ts_ms":1795000000123},"op":"c"}
                """.formatted(traceparent));

        ProducerRecord<String, String> record = OutboxRelay.toRecord(change.records().getFirst());

        assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8)).isEqualTo(traceparent);
        assertThat(change.committedAtMillis()).isEqualTo(1795000000123L);
    }
}
