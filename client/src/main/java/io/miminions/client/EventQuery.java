package io.miminions.client;

import io.miminions.model.EventType;
import io.miminions.model.Severity;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What to ask the event log ({@link EventLog}): filters, page size, order and the cursor of the
 * page to go on from. Immutable; build one with {@link #builder()}. Every filter given must hold.
 *
 * <pre>{@code
 * EventQuery errors = EventQuery.builder().minSeverity(Severity.ERROR).since(Instant.now().minus(Duration.ofHours(1))).build();
 * }</pre>
 *
 * @param types         the types wanted; empty for every type
 * @param severities    the exact severities wanted; empty for every severity
 * @param minSeverity   the least severity ({@code ERROR} takes ERROR and CRITICAL), or null
 * @param since         the earliest time (inclusive), or null
 * @param until         the time before which events are wanted (exclusive), or null
 * @param agentId       the agent, or null
 * @param taskId        the task, or null
 * @param correlationId the correlation id, or null
 * @param limit         events per page, 1 to {@value #MAX_LIMIT} (null: the service's default, 100); for an
 *                      export, the most events exported (null: all)
 * @param order         oldest or newest first (null: newest first for queries, oldest first for exports)
 * @param cursor        the cursor of the previous page ({@link EventPage#nextCursor()}), or null for the first
 */
public record EventQuery(
        Set<EventType> types,
        Set<Severity> severities,
        Severity minSeverity,
        Instant since,
        Instant until,
        String agentId,
        String taskId,
        String correlationId,
        Integer limit,
        Order order,
        String cursor) {

    /** The largest page the service answers. */
    public static final int MAX_LIMIT = 10_000;

    /** Oldest first or newest first, by time (ties in order of arrival). */
    public enum Order {
        ASC,
        DESC
    }

    public EventQuery {
        types = types == null || types.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(types));
        severities = severities == null || severities.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(severities));
        if (since != null && until != null && since.isAfter(until)) {
            throw new IllegalArgumentException("since " + since + " is after until " + until);
        }
    }

    /** Every event, the service's default page and order. */
    public static EventQuery all() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this query's values. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.types.addAll(types);
        builder.severities.addAll(severities);
        builder.minSeverity = minSeverity;
        builder.since = since;
        builder.until = until;
        builder.agentId = agentId;
        builder.taskId = taskId;
        builder.correlationId = correlationId;
        builder.limit = limit;
        builder.order = order;
        builder.cursor = cursor;
        return builder;
    }

    /** This query for the page after the one that answered {@code cursor}. */
    public EventQuery withCursor(String cursor) {
        return toBuilder().cursor(cursor).build();
    }

    /** The query string of {@code GET /events} or, without the cursor, of {@code GET /events/export}. */
    String toQueryString(boolean export) {
        List<String> parameters = new ArrayList<>();
        types.forEach(t -> parameters.add(parameter("type", t.name())));
        severities.forEach(s -> parameters.add(parameter("severity", s.name())));
        add(parameters, "minSeverity", minSeverity == null ? null : minSeverity.name());
        add(parameters, "since", since == null ? null : since.toString());
        add(parameters, "until", until == null ? null : until.toString());
        add(parameters, "agentId", agentId);
        add(parameters, "taskId", taskId);
        add(parameters, "correlationId", correlationId);
        add(parameters, "limit", limit == null ? null : limit.toString());
        add(parameters, "order", order == null ? null : order.name().toLowerCase(Locale.ROOT));
        if (!export) {
            add(parameters, "cursor", cursor);
        }
        return String.join("&", parameters);
    }

    private static void add(List<String> parameters, String name, String value) {
        if (value != null) {
            parameters.add(parameter(name, value));
        }
    }

    private static String parameter(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Builds an {@link EventQuery}; values are checked as they are set. */
    public static final class Builder {

        private final Set<EventType> types = EnumSet.noneOf(EventType.class);
        private final Set<Severity> severities = EnumSet.noneOf(Severity.class);
        private Severity minSeverity;
        private Instant since;
        private Instant until;
        private String agentId;
        private String taskId;
        private String correlationId;
        private Integer limit;
        private Order order;
        private String cursor;

        private Builder() {
        }

        /** Adds types: an event of any of them matches. */
        public Builder types(EventType... types) {
            this.types.addAll(List.of(types));
            return this;
        }

        /** Adds exact severities: an event of any of them matches. */
        public Builder severity(Severity... severities) {
            this.severities.addAll(List.of(severities));
            return this;
        }

        /** Events of this severity or worse. */
        public Builder minSeverity(Severity minSeverity) {
            this.minSeverity = minSeverity;
            return this;
        }

        public Builder since(Instant since) {
            this.since = since;
            return this;
        }

        public Builder until(Instant until) {
            this.until = until;
            return this;
        }

        public Builder agentId(String agentId) {
            this.agentId = agentId;
            return this;
        }

        public Builder taskId(String taskId) {
            this.taskId = taskId;
            return this;
        }

        public Builder correlationId(String correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        /** Events per page, 1 to {@value #MAX_LIMIT}; for an export, the most events exported. */
        public Builder limit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, was " + limit);
            }
            this.limit = limit;
            return this;
        }

        public Builder order(Order order) {
            this.order = order;
            return this;
        }

        public Builder cursor(String cursor) {
            this.cursor = cursor;
            return this;
        }

        public EventQuery build() {
            return new EventQuery(types, severities, minSeverity, since, until, agentId, taskId, correlationId, limit, order,
                    cursor);
        }
    }
}
