package io.miminions.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.miminions.model.EventType;
import io.miminions.model.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventQueryTest {

    private static EventQuery parse(List<String> types, String severity, String since, String until, String limit,
            String order) {
        return EventQuery.parse(types, severity, null, null, since, until, limit, order);
    }

    @Test
    void noParametersMeansEveryEventNewestFirstAtTheDefaultLimit() {
        EventQuery query = EventQuery.parse(null, null, null, null, null, null, null, null);

        assertThat(query.types()).isEmpty();
        assertThat(query.minSeverity()).isNull();
        assertThat(query.agentId()).isNull();
        assertThat(query.taskId()).isNull();
        assertThat(query.since()).isNull();
        assertThat(query.until()).isNull();
        assertThat(query.limit()).isEqualTo(100);
        assertThat(query.order()).isEqualTo(EventQuery.Order.DESC);
    }

    @Test
    void readsEveryParameter() {
        EventQuery query = EventQuery.parse(List.of("TASK_COMPLETED", "task_failed"), "warning", "agent-1", "task-1",
                "2026-11-23T10:00:00Z", "2026-11-23T12:00:00+01:00", "10000", "ASC");

        assertThat(query.types()).containsExactlyInAnyOrder(EventType.TASK_COMPLETED, EventType.TASK_FAILED);
        assertThat(query.minSeverity()).isEqualTo(Severity.WARNING);
        assertThat(query.agentId()).isEqualTo("agent-1");
        assertThat(query.taskId()).isEqualTo("task-1");
        assertThat(query.since()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(query.until()).isEqualTo(Instant.parse("2026-11-23T11:00:00Z"));
        assertThat(query.limit()).isEqualTo(10_000);
        assertThat(query.order()).isEqualTo(EventQuery.Order.ASC);
    }

    @Test
    void blankParametersCountAsAbsent() {
        EventQuery query = EventQuery.parse(List.of(""), " ", "", " ", "", "", "", "");

        assertThat(query).isEqualTo(EventQuery.parse(null, null, null, null, null, null, null, null));
    }

    @Test
    void rejectsAnUnknownType() {
        assertThatThrownBy(() -> parse(List.of("TASK_COMPLETED", "TASK_EXPLODED"), null, null, null, null, null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("unknown type 'TASK_EXPLODED'")
                .hasMessageContaining("TASK_COMPLETED");
    }

    @Test
    void rejectsAnUnknownSeverity() {
        assertThatThrownBy(() -> parse(null, "LOUD", null, null, null, null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("unknown severity 'LOUD'");
    }

    @Test
    void rejectsAnUnknownOrder() {
        assertThatThrownBy(() -> parse(null, null, null, null, null, "sideways"))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("unknown order 'sideways'");
    }

    @Test
    void rejectsATimestampThatIsNotIso8601() {
        assertThatThrownBy(() -> parse(null, null, "yesterday", null, null, null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("since 'yesterday' is not an ISO-8601 instant");
        assertThatThrownBy(() -> parse(null, null, null, "2026-11-23", null, null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("until '2026-11-23' is not an ISO-8601 instant");
    }

    @Test
    void rejectsSinceAfterUntil() {
        assertThatThrownBy(() -> parse(null, null, "2026-11-23T11:00:00Z", "2026-11-23T10:00:00Z", null, null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("is after until");
    }

    @Test
    void rejectsALimitOutOfRange() {
        assertThat(parse(null, null, null, null, "1", null).limit()).isEqualTo(1);
        assertThatThrownBy(() -> parse(null, null, null, null, "0", null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessage("limit 0 is outside 1..10000");
        assertThatThrownBy(() -> parse(null, null, null, null, "10001", null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessage("limit 10001 is outside 1..10000");
    }

    @Test
    void rejectsALimitThatIsNotANumber() {
        assertThatThrownBy(() -> parse(null, null, null, null, "many", null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessage("limit 'many' is not a whole number");
    }
}
