package io.miminions.audit;

/**
 * One page of {@code GET /events}: a filter, how many, in which order, and where the previous page
 * ended. Events are ordered by {@code (time, seq)}, {@code seq} being the order of arrival.
 *
 * @param filter which events
 * @param limit  the most events to answer, 1 to {@link #MAX_LIMIT}
 * @param order  oldest or newest first
 * @param cursor where the previous page ended, or null for the first page
 */
public record EventQuery(EventFilter filter, int limit, Order order, Cursor cursor) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    /** Oldest first ({@code asc}) or newest first ({@code desc}). */
    public enum Order {
        ASC,
        DESC
    }

    /**
     * Reads {@code limit}, {@code order} and {@code cursor}, each null or blank when absent.
     *
     * @throws InvalidQueryException saying which parameter is not valid and why; a cursor is not
     *                               valid for another filter or order than the one it came from
     */
    public static EventQuery parse(EventFilter filter, String limit, String order, String cursor) {
        Order parsedOrder = parseOrder(order, Order.DESC);
        Cursor parsedCursor = EventFilter.isBlank(cursor) ? null : Cursor.decode(cursor.trim());
        if (parsedCursor != null && !parsedCursor.queryDigest().equals(digest(filter, parsedOrder))) {
            throw new InvalidQueryException("the cursor belongs to another query: repeat the filters and order of "
                    + "the request that answered it");
        }
        return new EventQuery(filter, parseLimit(limit, MAX_LIMIT, DEFAULT_LIMIT), parsedOrder, parsedCursor);
    }

    /** What a cursor of this query carries to recognise it. */
    public String digest() {
        return digest(filter, order);
    }

    static String digest(EventFilter filter, Order order) {
        return filter.digest() + order.name().charAt(0);
    }

    /** Reads an order ({@code asc} or {@code desc}, any case), or answers {@code absent} for none. */
    public static Order parseOrder(String order, Order absent) {
        return EventFilter.isBlank(order) ? absent : EventFilter.parseEnum(Order.class, "order", order);
    }

    /** Reads a limit between 1 and {@code max}, or answers {@code absent} for none. */
    public static int parseLimit(String value, int max, int absent) {
        if (EventFilter.isBlank(value)) {
            return absent;
        }
        int limit;
        try {
            limit = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidQueryException("limit '" + value + "' is not a whole number");
        }
        if (limit < 1 || limit > max) {
            throw new InvalidQueryException("limit " + limit + " is outside 1.." + max);
        }
        return limit;
    }
}
