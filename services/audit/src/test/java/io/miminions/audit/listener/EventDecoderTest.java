package io.miminions.audit.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Severity;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventDecoderTest {

    private static final Event EVENT = new Event("e-1", EventType.TASK_COMPLETED, Severity.INFO,
            Instant.parse("2026-11-23T10:15:30.123456Z"), "agent-host", "agent-1", "task-1", "c-1",
            Map.of("attempt", 1, "output", Map.of("answer", 42)));

    @Test
    void decodesTheWireForm() {
        assertThat(EventDecoder.decode(Json.write(EVENT))).isEqualTo(EVENT);
    }

    @Test
    void rejectsAValueThatIsNotJson() {
        assertThatThrownBy(() -> EventDecoder.decode("not json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid Event");
    }

    @Test
    void rejectsAnUnknownType() {
        String json = Json.write(EVENT).replace("TASK_COMPLETED", "TASK_EXPLODED");

        assertThatThrownBy(() -> EventDecoder.decode(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TASK_EXPLODED");
    }

    @Test
    void rejectsAnEventWithoutIdTypeSeverityOrTime() {
        assertThatThrownBy(() -> EventDecoder.decode(Json.write(new Event(" ", EVENT.type(), EVENT.severity(),
                EVENT.time(), null, null, null, null, null))))
                .hasMessage("the event has no eventId");
        assertThatThrownBy(() -> EventDecoder.decode(Json.write(new Event("e-1", null, EVENT.severity(),
                EVENT.time(), null, null, null, null, null))))
                .hasMessage("the event has no type");
        assertThatThrownBy(() -> EventDecoder.decode(Json.write(new Event("e-1", EVENT.type(), null,
                EVENT.time(), null, null, null, null, null))))
                .hasMessage("the event has no severity");
        assertThatThrownBy(() -> EventDecoder.decode(Json.write(new Event("e-1", EVENT.type(), EVENT.severity(),
                null, null, null, null, null, null))))
                .hasMessage("the event has no time");
    }

    @Test
    void rejectsATimeNoPartitionCouldHold() {
        assertThatThrownBy(() -> EventDecoder.decode(Json.write(new Event("e-1", EVENT.type(), EVENT.severity(),
                Instant.parse("+10000-01-01T00:00:00Z"), null, null, null, null, null))))
                .hasMessageContaining("is not between");
        assertThatThrownBy(() -> EventDecoder.decode(Json.write(new Event("e-1", EVENT.type(), EVENT.severity(),
                Instant.parse("1969-12-31T23:59:59Z"), null, null, null, null, null))))
                .hasMessageContaining("is not between");
    }

    @Test
    void rejectsAMissingOrNullValue() {
        assertThatThrownBy(() -> EventDecoder.decode(null)).hasMessage("the record has no value");
        assertThatThrownBy(() -> EventDecoder.decode("null")).hasMessage("the value is JSON null");
    }
}
