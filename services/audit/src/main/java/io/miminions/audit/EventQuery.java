package io.miminions.audit;

import io.miminions.model.EventType;
import io.miminions.model.Severity;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a reader asks of the event store: filters, how many, in which order. Events are ordered
 * by {@code (time, seq)}, {@code seq} being the order of arrival.
 *
 * @param types       the types wanted; empty for every type
 * @param minSeverity the least severity wanted, or null for every severity
 * @param agentId     the agent, or null
 * @param taskId      the task, or null
 * @param since       the earliest time wanted (inclusive), or null
 * @param until       the time before which events are wanted (exclusive), or null
 * @param limit       the most events to answer, 1 to {@link #MAX_LIMIT}
 * @param order       oldest or newest first
 */
public record EventQuery(
        Set<EventType> types,
        Severity minSeverity,
        String agentId,
        String taskId,
        Instant since,
        Instant until,
        int limit,
        Order order) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    /** Oldest first ({@code asc}) or newest first ({@code desc}). */
    public enum Order {
        ASC,
        DESC
    }

    public EventQuery {
        types = Set.copyOf(types);
    }

    /**
     * Reads the query parameters of {@code GET /events}, each null or blank when absent. Enum names
     * are matched ignoring case; times are ISO-8601 instants, with {@code Z} or an offset.
     *
     * @throws InvalidQueryException saying which parameter is not valid and why
     */
    public static EventQuery parse(List<String> types, String severity, String agentId, String taskId,
            String since, String until, String limit, String order) {
        Set<EventType> typeSet = EnumSet.noneOf(EventType.class);
        if (types != null) {
            types.stream().filter(t -> !isBlank(t)).forEach(t -> typeSet.add(parseEnum(EventType.class, "type", t)));
        }
        Instant from = parseInstant("since", since);
        Instant to = parseInstant("until", until);
        if (from != null && to != null && from.isAfter(to)) {
            throw new InvalidQueryException("since (" + since + ") is after until (" + until + ")");
        }
        return new EventQuery(
                typeSet,
                isBlank(severity) ? null : parseEnum(Severity.class, "severity", severity),
                blankToNull(agentId),
                blankToNull(taskId),
                from,
                to,
                parseLimit(limit),
                isBlank(order) ? Order.DESC : parseEnum(Order.class, "order", order));
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String parameter, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("unknown " + parameter + " '" + value + "'; expected one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }

    private static Instant parseInstant(String parameter, String value) {
        if (isBlank(value)) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(
                    parameter + " '" + value + "' is not an ISO-8601 instant such as 2026-11-23T10:15:30Z");
        }
    }

    private static int parseLimit(String value) {
        if (isBlank(value)) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidQueryException("limit '" + value + "' is not a whole number");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidQueryException("limit " + limit + " is outside 1.." + MAX_LIMIT);
        }
        return limit;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value.trim();
    }
}
