package io.miminions.audit;

import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which events a reader wants: every condition given must hold. Shared by {@code GET /events} and
 * {@code GET /events/export}.
 *
 * @param types         the types wanted; empty for every type
 * @param severities    the exact severities wanted; empty for every severity
 * @param minSeverity   the least severity wanted ({@code ERROR} answers {@code ERROR} and {@code CRITICAL}), or null
 * @param agentId       the agent, or null
 * @param taskId        the task, or null
 * @param correlationId the correlation id, or null
 * @param since         the earliest time wanted (inclusive), or null
 * @param until         the time before which events are wanted (exclusive), or null
 */
public record EventFilter(
        Set<EventType> types,
        Set<Severity> severities,
        Severity minSeverity,
        String agentId,
        String taskId,
        String correlationId,
        Instant since,
        Instant until) {

    /** Every event. */
    public static final EventFilter ALL = new EventFilter(Set.of(), Set.of(), null, null, null, null, null, null);

    public EventFilter {
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        severities = severities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(severities));
    }

    /**
     * Reads the filter parameters of the query API, each null or blank when absent. Enum names are
     * matched ignoring case; times are ISO-8601 instants, with {@code Z} or an offset.
     *
     * @throws InvalidQueryException saying which parameter is not valid and why
     */
    public static EventFilter parse(List<String> types, List<String> severities, String minSeverity, String agentId,
            String taskId, String correlationId, String since, String until) {
        Set<EventType> typeSet = EnumSet.noneOf(EventType.class);
        nonBlank(types).forEach(t -> typeSet.add(parseEnum(EventType.class, "type", t)));
        Set<Severity> severitySet = EnumSet.noneOf(Severity.class);
        nonBlank(severities).forEach(s -> severitySet.add(parseEnum(Severity.class, "severity", s)));
        Instant from = parseInstant("since", since);
        Instant to = parseInstant("until", until);
        if (from != null && to != null && from.isAfter(to)) {
            throw new InvalidQueryException("since (" + since + ") is after until (" + until + ")");
        }
        return new EventFilter(
                typeSet,
                severitySet,
                isBlank(minSeverity) ? null : parseEnum(Severity.class, "minSeverity", minSeverity),
                blankToNull(agentId),
                blankToNull(taskId),
                blankToNull(correlationId),
                from,
                to);
    }

    /** True if the event passes every condition; the SQL of the store says the same. */
    public boolean matches(Event event) {
        return (types.isEmpty() || types.contains(event.type()))
                && (severities.isEmpty() || severities.contains(event.severity()))
                && (minSeverity == null || event.severity().isAtLeast(minSeverity))
                && (agentId == null || agentId.equals(event.agentId()))
                && (taskId == null || taskId.equals(event.taskId()))
                && (correlationId == null || correlationId.equals(event.correlationId()))
                && (since == null || !event.time().isBefore(since))
                && (until == null || event.time().isBefore(until));
    }

    /** True if every event that passes the filter has at least {@code severity}. */
    public boolean wantsOnlyAtLeast(Severity severity) {
        return (minSeverity != null && minSeverity.isAtLeast(severity))
                || (!severities.isEmpty() && severities.stream().allMatch(s -> s.isAtLeast(severity)));
    }

    /**
     * A short digest of the filter, which a cursor carries so that it is not used with another filter.
     * Two filters with the same conditions have the same digest.
     */
    public String digest() {
        String canonical = String.join("\u0000",
                new TreeSet<>(types.stream().map(Enum::name).toList()).toString(),
                new TreeSet<>(severities.stream().map(Enum::name).toList()).toString(),
                String.valueOf(minSeverity), String.valueOf(agentId), String.valueOf(taskId), String.valueOf(correlationId),
                String.valueOf(since), String.valueOf(until));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String parameter, String value) {
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

    private static List<String> nonBlank(List<String> values) {
        return values == null ? List.of() : values.stream().filter(v -> !isBlank(v)).toList();
    }

    static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value.trim();
    }
}
