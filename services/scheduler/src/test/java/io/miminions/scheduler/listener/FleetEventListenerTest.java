package io.miminions.scheduler.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class FleetEventListenerTest {

    private static final Event ATTEMPT_ENDED = Event.of(EventType.TASK_ATTEMPT_ENDED, "agent-host", "a", "t",
            Map.of("attempt", 1, "outcome", "COMPLETED"));

    @Test
    void anEventOfATypeTheSchedulerUsesIsRead() {
        assertThat(FleetEventListener.readIfUsed(record(Json.write(ATTEMPT_ENDED), "TASK_ATTEMPT_ENDED"))).isEqualTo(ATTEMPT_ENDED);
    }

    @Test
    void anEventWhoseHeaderNamesATypeTheSchedulerDoesNotUseIsNotParsed() {
        assertThat(FleetEventListener.readIfUsed(record("not even JSON", "TASK_SUBMITTED"))).isNull();
        assertThat(FleetEventListener.readIfUsed(record("not even JSON", "A_TYPE_OF_A_LATER_VERSION"))).isNull();
    }

    @Test
    void anEventWithoutTheHeaderIsParsed() {
        assertThat(FleetEventListener.readIfUsed(record(Json.write(ATTEMPT_ENDED), null))).isEqualTo(ATTEMPT_ENDED);
        assertThat(FleetEventListener.readIfUsed(record("not even JSON", null))).isNull();
    }

    private static ConsumerRecord<String, String> record(String value, String type) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.EVENTS, 0, 0L, "t", value);
        if (type != null) {
            record.headers().add(Topics.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }
}
