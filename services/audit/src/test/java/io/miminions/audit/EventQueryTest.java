package io.miminions.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the query parameters: filters, limit, order and cursor. */
class EventQueryTest {

    private static EventFilter filter(List<String> types, String severity, String minSeverity, String since, String until) {
        return EventFilter.parse(types, severity == null ? null : List.of(severity), minSeverity, null, null, null, since,
                until);
    }

    @Test
    void noParametersMeansEveryEventNewestFirstAtTheDefaultLimit() {
        EventQuery query = EventQuery.parse(EventFilter.parse(null, null, null, null, null, null, null, null), null, null,
                null);

        assertThat(query.filter()).isEqualTo(EventFilter.ALL);
        assertThat(query.limit()).isEqualTo(100);
        assertThat(query.order()).isEqualTo(EventQuery.Order.DESC);
        assertThat(query.cursor()).isNull();
    }

    @Test
    void readsEveryParameter() {
        EventFilter filter = EventFilter.parse(List.of("TASK_COMPLETED", "task_failed"), List.of("info", "ERROR"),
                "warning", "agent-1", "task-1", "corr-1", "2026-11-23T10:00:00Z", "2026-11-23T12:00:00+01:00");
        EventQuery query = EventQuery.parse(filter, "10000", "ASC", null);

        assertThat(filter.types()).containsExactlyInAnyOrder(EventType.TASK_COMPLETED, EventType.TASK_FAILED);
        assertThat(filter.severities()).containsExactlyInAnyOrder(Severity.INFO, Severity.ERROR);
        assertThat(filter.minSeverity()).isEqualTo(Severity.WARNING);
        assertThat(filter.agentId()).isEqualTo("agent-1");
        assertThat(filter.taskId()).isEqualTo("task-1");
        assertThat(filter.correlationId()).isEqualTo("corr-1");
        assertThat(filter.since()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(filter.until()).isEqualTo(Instant.parse("2026-11-23T11:00:00Z"));
        assertThat(query.limit()).isEqualTo(10_000);
        assertThat(query.order()).isEqualTo(EventQuery.Order.ASC);
    }

    @Test
    void blankParametersCountAsAbsent() {
        EventFilter filter = EventFilter.parse(List.of(""), List.of(" "), "", " ", "", " ", "", "");

        assertThat(filter).isEqualTo(EventFilter.ALL);
        assertThat(EventQuery.parse(filter, "", " ", "")).isEqualTo(new EventQuery(EventFilter.ALL, 100, EventQuery.Order.DESC, null));
    }

    @Test
    void severityIsExactAndMinSeverityIsAtLeast() {
        Event warning = event(Severity.WARNING);
        Event error = event(Severity.ERROR);
        Event critical = event(Severity.CRITICAL);

        EventFilter exact = filter(null, "ERROR", null, null, null);
        EventFilter atLeast = filter(null, null, "ERROR", null, null);

        assertThat(List.of(warning, error, critical)).filteredOn(exact::matches).containsExactly(error);
        assertThat(List.of(warning, error, critical)).filteredOn(atLeast::matches).containsExactly(error, critical);
    }

    @Test
    void knowsWhenItWantsOnlyEventsOfAtLeastASeverity() {
        assertThat(filter(null, "ERROR", null, null, null).wantsOnlyAtLeast(Severity.WARNING)).isTrue();
        assertThat(filter(null, null, "WARNING", null, null).wantsOnlyAtLeast(Severity.WARNING)).isTrue();
        assertThat(filter(null, "INFO", null, null, null).wantsOnlyAtLeast(Severity.WARNING)).isFalse();
        assertThat(filter(null, null, "DEBUG", null, null).wantsOnlyAtLeast(Severity.WARNING)).isFalse();
        assertThat(EventFilter.ALL.wantsOnlyAtLeast(Severity.WARNING)).isFalse();
        assertThat(EventFilter.parse(null, List.of("WARNING", "INFO"), null, null, null, null, null, null)
                .wantsOnlyAtLeast(Severity.WARNING)).isFalse();
    }

    @Test
    void rejectsAnUnknownTypeOrSeverity() {
        assertThatThrownBy(() -> filter(List.of("TASK_COMPLETED", "TASK_EXPLODED"), null, null, null, null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("unknown type 'TASK_EXPLODED'")
                .hasMessageContaining("TASK_COMPLETED");
        assertThatThrownBy(() -> filter(null, "LOUD", null, null, null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("unknown severity 'LOUD'");
        assertThatThrownBy(() -> filter(null, null, "LOUDER", null, null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("unknown minSeverity 'LOUDER'");
    }

    @Test
    void rejectsAnUnknownOrder() {
        assertThatThrownBy(() -> EventQuery.parse(EventFilter.ALL, null, "sideways", null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("unknown order 'sideways'");
    }

    @Test
    void rejectsATimestampThatIsNotIso8601() {
        assertThatThrownBy(() -> filter(null, null, null, "yesterday", null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("since 'yesterday' is not an ISO-8601 instant");
        assertThatThrownBy(() -> filter(null, null, null, null, "2026-11-23"))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("until '2026-11-23' is not an ISO-8601 instant");
    }

    @Test
    void rejectsSinceAfterUntil() {
        assertThatThrownBy(() -> filter(null, null, null, "2026-11-23T11:00:00Z", "2026-11-23T10:00:00Z"))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("is after until");
    }

    @Test
    void rejectsALimitOutOfRangeOrNotANumber() {
        assertThat(EventQuery.parse(EventFilter.ALL, "1", null, null).limit()).isEqualTo(1);
        assertThatThrownBy(() -> EventQuery.parse(EventFilter.ALL, "0", null, null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessage("limit 0 is outside 1..10000");
        assertThatThrownBy(() -> EventQuery.parse(EventFilter.ALL, "10001", null, null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessage("limit 10001 is outside 1..10000");
        assertThatThrownBy(() -> EventQuery.parse(EventFilter.ALL, "many", null, null))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessage("limit 'many' is not a whole number");
    }

    @Test
    void aCursorComesBackAsItWasMade() {
        EventQuery query = EventQuery.parse(filter(List.of("TASK_QUEUED"), null, null, null, null), "10", "asc", null);
        Cursor cursor = new Cursor(Instant.parse("2026-11-23T10:15:30.123456Z"), 42, 99, query.digest());

        String text = cursor.encode();

        assertThat(text).matches("[A-Za-z0-9_-]+");
        assertThat(Cursor.decode(text)).isEqualTo(cursor);
        assertThat(EventQuery.parse(query.filter(), "20", "asc", text).cursor()).isEqualTo(cursor);
    }

    @Test
    void aCursorIsValidOnlyForTheFilterAndOrderItCameFrom() {
        EventFilter queued = filter(List.of("TASK_QUEUED"), null, null, null, null);
        String cursor = new Cursor(Instant.parse("2026-11-23T10:15:30Z"), 42, 99,
                EventQuery.parse(queued, null, "asc", null).digest()).encode();

        assertThatThrownBy(() -> EventQuery.parse(queued, null, "desc", cursor))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("belongs to another query");
        assertThatThrownBy(() -> EventQuery.parse(filter(List.of("TASK_ASSIGNED"), null, null, null, null), null, "asc", cursor))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("belongs to another query");
        assertThat(EventQuery.parse(filter(List.of("task_queued"), null, null, null, null), null, "ASC", cursor).cursor())
                .isNotNull();
    }

    @Test
    void rejectsACursorItDidNotMake() {
        assertThatThrownBy(() -> EventQuery.parse(EventFilter.ALL, null, null, "not-a-cursor"))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("is not a cursor this API answered");
        assertThatThrownBy(() -> Cursor.decode("%%%"))
                .isInstanceOf(InvalidQueryException.class);
    }

    private static Event event(Severity severity) {
        return new Event("e-" + severity, EventType.SERVICE_ERROR, severity, Instant.parse("2026-11-23T10:00:00Z"), "test",
                null, null, null, Map.of());
    }
}
