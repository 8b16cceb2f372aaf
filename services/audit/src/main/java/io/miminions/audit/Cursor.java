package io.miminions.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Where a page of events ended, handed to the client as an opaque text and given back for the next
 * page (keyset pagination on {@code (time, seq)}).
 *
 * <p>{@code watermark} is the last {@code seq} handed out when the first page was read: later pages
 * leave out events stored after it, so that paging ends even while events keep arriving, and none is
 * answered twice or skipped.
 *
 * @param time        the time of the last event answered (microseconds, as stored)
 * @param seq         its {@code seq}
 * @param watermark   the highest {@code seq} the pages may answer
 * @param queryDigest the filter and order the cursor is valid for ({@link EventQuery#digest()})
 */
public record Cursor(Instant time, long seq, long watermark, String queryDigest) {

    private static final String VERSION = "v1";

    /** The cursor as URL-safe text. */
    public String encode() {
        String text = String.join(":", VERSION, Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, time)),
                Long.toString(seq), Long.toString(watermark), queryDigest);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor made by {@link #encode()}.
     *
     * @throws InvalidQueryException if it is not one
     */
    public static Cursor decode(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(":", -1);
            if (parts.length != 5 || !parts[0].equals(VERSION) || parts[4].isEmpty()) {
                throw new IllegalArgumentException("unexpected layout");
            }
            return new Cursor(Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS), Long.parseLong(parts[2]),
                    Long.parseLong(parts[3]), parts[4]);
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw new InvalidQueryException("cursor '" + text + "' is not a cursor this API answered");
        }
    }
}
