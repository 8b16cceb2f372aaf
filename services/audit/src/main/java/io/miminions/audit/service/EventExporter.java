package io.miminions.audit.service;

import io.miminions.audit.EventFilter;
import io.miminions.audit.EventQuery;
import io.miminions.audit.StoredEvent;
import io.miminions.audit.config.AuditConfig;
import io.miminions.audit.metrics.AuditMetrics;
import io.miminions.audit.repository.EventRepository;
import io.miminions.model.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the events of a filter as JSON Lines (one {@code Event} per line, in its wire form), reading
 * them from the database a page at a time (keyset on {@code (time, seq)}, short queries, no open
 * transaction). Blocking: run it on a worker thread. The HTTP output stream blocks while the client
 * is not reading, and the next page is read only after the previous one is written, so an export
 * holds about one page in memory whatever its size.
 */
@ApplicationScoped
public class EventExporter {

    private static final Duration PAGE_TIMEOUT = Duration.ofMinutes(1);

    private final EventRepository repository;
    private final AuditMetrics metrics;
    private final int pageSize;

    EventExporter(EventRepository repository, AuditMetrics metrics, AuditConfig config) {
        this.repository = repository;
        this.metrics = metrics;
        if (config.exportPageSize() < 1) {
            throw new IllegalArgumentException("miminions.audit.export-page-size must be at least 1, is " + config.exportPageSize());
        }
        this.pageSize = config.exportPageSize();
    }

    /**
     * Writes every matching event stored when the export starts, up to {@code limit} (0: no limit).
     *
     * @param gzip true to write a gzip file of the lines
     */
    public void export(EventFilter filter, EventQuery.Order order, long limit, boolean gzip, OutputStream target)
            throws IOException {
        OutputStream out = gzip ? new GZIPOutputStream(target, 64 * 1024) : target;
        long watermark = repository.watermark().await().atMost(PAGE_TIMEOUT);
        Instant afterTime = null;
        long afterSeq = 0;
        long written = 0;
        while (true) {
            int wanted = limit > 0 ? (int) Math.min(pageSize, limit - written) : pageSize;
            if (wanted == 0) {
                break;
            }
            List<StoredEvent> page = repository.page(filter, order, afterTime, afterSeq, watermark, wanted)
                    .await().atMost(PAGE_TIMEOUT);
            metrics.exported(page.size());
            for (StoredEvent stored : page) {
                out.write(Json.writeBytes(stored.event()));
                out.write('\n');
            }
            written += page.size();
            if (page.size() < wanted) {
                break;
            }
            afterTime = page.getLast().event().time();
            afterSeq = page.getLast().seq();
        }
        if (out instanceof GZIPOutputStream zip) {
            zip.finish();
        }
        out.flush();
    }
}
