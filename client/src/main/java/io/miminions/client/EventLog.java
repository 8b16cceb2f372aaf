package io.miminions.client;

import io.miminions.model.Event;
import io.miminions.model.Json;
import io.miminions.model.api.FleetMetrics;
import io.miminions.model.api.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The Java client of the audit service: the seed's event log and metrics verbs ({@code query_events},
 * {@code export_events}, {@code get_metrics}, {@code export_prometheus_metrics}).
 *
 * <pre>{@code
 * EventLog events = EventLog.connect(URI.create("http://localhost:8084"));
 * EventPage errors = events.queryEvents(EventQuery.builder().minSeverity(Severity.ERROR).limit(50).build());
 * events.allEvents(EventQuery.all()).forEach(System.out::println);             // every page
 * events.exportEvents(Path.of("events.jsonl"), EventQuery.all(), false);
 * System.out.println(events.getMetrics().completedTasks());
 * }</pre>
 *
 * Instances are thread-safe. Failures are {@link MiminionsException}s: {@link ApiUnreachableException}
 * when the service does not answer, {@link ApiException} with the problem details when it refuses.
 */
public final class EventLog {

    /** The response header that carries the cursor of the next page. */
    public static final String NEXT_CURSOR_HEADER = "Miminions-Next-Cursor";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final ApiTransport api;

    private EventLog(URI auditUri) {
        this.api = new ApiTransport(auditUri);
    }

    /** A client of the audit service at {@code auditUri}, for example {@code http://localhost:8084}. */
    public static EventLog connect(URI auditUri) {
        return new EventLog(auditUri);
    }

    /** One page of the events matching the query; go on with {@code query.withCursor(page.nextCursor())}. */
    public EventPage queryEvents(EventQuery query) {
        HttpResponse<String> response = send("events?" + query.toQueryString(false), "application/json",
                HttpResponse.BodyHandlers.ofString());
        return new EventPage(List.of(Json.read(response.body(), Event[].class)),
                response.headers().firstValue(NEXT_CURSOR_HEADER).orElse(null));
    }

    /**
     * Every page of the query, from its cursor on, read as the iteration goes. The pages answer every
     * event stored when the first one was read exactly once, and leave out later ones.
     */
    public Iterable<EventPage> pages(EventQuery query) {
        return () -> new Iterator<>() {
            private EventQuery next = query;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public EventPage next() {
                if (next == null) {
                    throw new NoSuchElementException("that was the last page");
                }
                EventPage page = queryEvents(next);
                next = page.hasNext() ? next.withCursor(page.nextCursor()) : null;
                return page;
            }
        };
    }

    /** Every event matching the query, over all its pages (read as the stream is consumed). */
    public Stream<Event> allEvents(EventQuery query) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages(query).iterator(), Spliterator.ORDERED), false)
                .flatMap(page -> page.events().stream());
    }

    /**
     * Writes every event matching the query (stored when the export starts) to {@code file} as JSON
     * Lines, streamed: memory stays flat whatever the size. The query's limit caps the events
     * exported; its cursor is not used. The file is replaced only once the export is complete.
     *
     * @param gzip true to write a gzip file of the lines
     * @return {@code file}
     */
    public Path exportEvents(Path file, EventQuery query, boolean gzip) {
        Path target = file.toAbsolutePath();
        Path partial;
        try {
            partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write next to " + target, e);
        }
        try {
            String queryString = query.toQueryString(true);
            String path = "events/export?" + queryString + (queryString.isEmpty() ? "" : "&") + "gzip=" + gzip;
            send(path, "application/x-ndjson, application/gzip", info -> info.statusCode() >= 400
                    ? HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8)
                    : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofFile(partial), written -> ""));
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the export to " + target, e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover part file is harmless
            }
        }
    }

    /** The fleet metrics, computed by the audit service from the events it stored. */
    public FleetMetrics getMetrics() {
        return Json.read(send("metrics/fleet", "application/json", HttpResponse.BodyHandlers.ofString()).body(),
                FleetMetrics.class);
    }

    /** The same metrics in the Prometheus text exposition format, to serve to a Prometheus scraper. */
    public String exportPrometheusMetrics() {
        return send("metrics/fleet/prometheus", "text/plain", HttpResponse.BodyHandlers.ofString()).body();
    }

    private <T> HttpResponse<T> send(String path, String accept, HttpResponse.BodyHandler<T> handler) {
        HttpRequest request = api.request(path)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", accept + ", " + Problem.MEDIA_TYPE)
                .GET()
                .build();
        return api.send(request, handler);
    }
}
