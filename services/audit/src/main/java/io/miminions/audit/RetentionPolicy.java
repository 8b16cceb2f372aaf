package io.miminions.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * How long events are kept. Events live in one partition per UTC day; a day is dropped as a whole
 * once all of it is older than the retention, so an event is kept at least {@code retention} and
 * at most one day more.
 *
 * @param retention how long an event is kept at least
 */
public record RetentionPolicy(Duration retention) {

    public RetentionPolicy {
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("the retention must be at least one day, was " + retention);
        }
    }

    /** The UTC day an event of this time is stored in. */
    public static LocalDate dayOf(Instant time) {
        return LocalDate.ofInstant(time, ZoneOffset.UTC);
    }

    /** The first instant of a UTC day. */
    public static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The oldest day still kept at {@code now}: older days are dropped. */
    public LocalDate oldestKeptDay(Instant now) {
        return dayOf(now.minus(retention));
    }

    /** The earliest time still kept at {@code now}; older events are dropped, or not stored at all. */
    public Instant keptSince(Instant now) {
        return startOf(oldestKeptDay(now));
    }

    /** True for an event that would be dropped at {@code now}: it is not stored. */
    public boolean isExpired(Instant time, Instant now) {
        return time.isBefore(keptSince(now));
    }
}
