package io.miminions.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.miminions.audit.metrics.AuditMetrics;
import io.miminions.audit.repository.EventPartitions;
import io.miminions.audit.repository.EventRepository;
import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Severity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** {@code GET /events/export} against the real database: JSON Lines, streamed, optionally gzipped. */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class EventExportIntegrationTest {

    private static final int BULK = 100_000;
    /** Each exported line is about 650 bytes: the export is about 65 MB. */
    private static final int PAYLOAD = 400;
    /**
     * What the server may read ahead of a client that stopped reading: the kernel's buffers (the
     * client's receive buffer is pinned to 32 KB below, the server's send buffer grows to 4 MB at
     * most on Linux), Netty's queue (64 KB) and one page (1000 events): under 10,000 events. Half the
     * export leaves a wide margin; an export that is not held back by the client reads all of it.
     */
    private static final int READ_AHEAD_BOUND = BULK / 2;

    @Inject
    Pool pool;

    @Inject
    EventRepository repository;

    @Inject
    EventPartitions partitions;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URL root;

    @Test
    void exportsAHundredThousandEventsStreamedAsTheClientReads() throws Exception {
        String correlationId = "bulk-" + UUID.randomUUID();
        Instant base = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MICROS);
        insertBulk(correlationId, base);
        double exportedBefore = exported();

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(32 * 1024); // before connecting, so that the window stays small
            socket.connect(new InetSocketAddress(root.getHost(), root.getPort()));
            OutputStream request = socket.getOutputStream();
            request.write(("GET /events/export?correlationId=" + correlationId + " HTTP/1.1\r\nHost: " + root.getHost()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            InputStream in = socket.getInputStream();
            Map<String, String> headers = readHead(in);
            assertThat(headers).containsEntry(":status", "200")
                    .containsEntry("content-type", "application/x-ndjson")
                    .containsEntry("transfer-encoding", "chunked")
                    .doesNotContainKey("content-length");
            BufferedReader lines = new BufferedReader(new InputStreamReader(new ChunkedBody(in), StandardCharsets.UTF_8));

            Event first = Json.read(lines.readLine(), Event.class);

            assertThat(first.eventId()).isEqualTo(correlationId + "-1");
            assertThat(exported() - exportedBefore).as("events read when the first line arrived").isLessThan(BULK);
            // the client stops reading: the server stops reading the database soon after
            await().pollDelay(Duration.ZERO).during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> exported() - exportedBefore <= READ_AHEAD_BOUND);

            int count = 1;
            String line;
            String last = first.eventId();
            while ((line = lines.readLine()) != null) {
                Event event = Json.read(line, Event.class);
                assertThat(event.correlationId()).isEqualTo(correlationId);
                count++;
                last = event.eventId();
            }
            assertThat(count).isEqualTo(BULK);
            assertThat(last).isEqualTo(correlationId + "-" + BULK);
        }
        assertThat(exported() - exportedBefore).isEqualTo(BULK);
    }

    @Test
    void exportsTheFilteredEventsInOrderWithALimit() throws Exception {
        String correlationId = "small-" + UUID.randomUUID();
        List<Event> events = storeSmallSet(correlationId);

        assertThat(lines(get("/events/export?correlationId=" + correlationId).body())).isEqualTo(events);
        assertThat(lines(get("/events/export?order=desc&limit=2&correlationId=" + correlationId).body()))
                .containsExactly(events.get(4), events.get(3));
        assertThat(lines(get("/events/export?minSeverity=warning&correlationId=" + correlationId).body()))
                .containsExactly(events.get(1), events.get(3));
        assertThat(lines(get("/events/export?correlationId=nothing-" + correlationId).body())).isEmpty();
    }

    @Test
    void exportsAGzipFileOnRequestAndGzipsOnTheWireOnAcceptEncoding() throws Exception {
        String correlationId = "zipped-" + UUID.randomUUID();
        List<Event> events = storeSmallSet(correlationId);

        HttpResponse<byte[]> file = get("/events/export?gzip=true&correlationId=" + correlationId);
        assertThat(file.headers().firstValue("Content-Type")).hasValue("application/gzip");
        assertThat(file.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"events.jsonl.gz\"");
        assertThat(lines(gunzip(file.body()))).isEqualTo(events);

        HttpResponse<byte[]> compressed = send(HttpRequest.newBuilder(root.toURI().resolve(
                "/events/export?correlationId=" + correlationId)).header("Accept-Encoding", "gzip").build());
        assertThat(compressed.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        assertThat(compressed.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(lines(gunzip(compressed.body()))).isEqualTo(events);

        HttpResponse<byte[]> refused = get("/events/export?gzip=maybe");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("gzip 'maybe' is neither true nor false");
    }

    /** Five events a millisecond apart; the second and fourth WARNING or worse. */
    private List<Event> storeSmallSet(String correlationId) {
        Instant base = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Event> events = IntStream.range(0, 5)
                .mapToObj(i -> new Event(UUID.randomUUID().toString(), EventType.MESSAGE_SENT,
                        i == 1 ? Severity.WARNING : i == 3 ? Severity.CRITICAL : Severity.DEBUG, base.plusMillis(i), "test",
                        null, null, correlationId, Map.of("n", i)))
                .toList();
        repository.append(events.stream().map(ConsumedEvent::untraced).toList()).await().indefinitely();
        return events;
    }

    /** Inserts the bulk straight in SQL (ids claimed too), as fast as PostgreSQL goes. */
    private void insertBulk(String correlationId, Instant base) {
        partitions.ensure(List.of(RetentionPolicy.dayOf(base), RetentionPolicy.dayOf(base.plusSeconds(1))))
                .await().indefinitely();
        pool.preparedQuery("""
                        WITH claimed AS (
                            INSERT INTO audit.event_ids (event_id, time)
                            SELECT $1 || '-' || i, $2::timestamptz + i * interval '1 microsecond'
                            FROM generate_series(1, $3) i
                            RETURNING event_id, time)
                        INSERT INTO audit.events (event_id, type, severity, time, source, correlation_id, data)
                        SELECT event_id, 'MESSAGE_SENT', 'DEBUG', time, 'bulk', $1,
                               jsonb_build_object('payload', repeat('x', $4), 'id', event_id)
                        FROM claimed ORDER BY time""")
                .execute(Tuple.of(correlationId, base.atOffset(ZoneOffset.UTC), BULK, PAYLOAD))
                .await().indefinitely();
    }

    private double exported() {
        return registry.get(AuditMetrics.EXPORTED).counter().count();
    }

    private HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(root.toURI().resolve(pathAndQuery)).build());
    }

    private static HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    private static List<Event> lines(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).lines().map(line -> Json.read(line, Event.class)).toList();
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }

    /** Reads the status line and headers (names in lower case; the status under ":status"). */
    private static Map<String, String> readHead(InputStream in) throws IOException {
        Map<String, String> headers = new HashMap<>();
        String status = readLine(in);
        headers.put(":status", status.split(" ")[1]);
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return headers;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed within a line");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** The body of a chunked HTTP/1.1 answer. */
    private static final class ChunkedBody extends InputStream {

        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = readLine(in);
                int extension = size.indexOf(';');
                left = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int read = in.read(buffer, offset, (int) Math.min(length, left));
            if (read < 0) {
                throw new IOException("the connection closed within a chunk");
            }
            left -= read;
            if (left == 0) {
                readLine(in); // the CRLF after the chunk
            }
            return read;
        }
    }
}
