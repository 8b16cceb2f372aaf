package io.miminions.audit.service;

import io.miminions.audit.Cursor;
import io.miminions.audit.EventPage;
import io.miminions.audit.EventQuery;
import io.miminions.audit.StoredEvent;
import io.miminions.audit.repository.EventRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Answers queries a page at a time, by keyset on {@code (time, seq)}: a page starts strictly after the
 * last event of the previous one, so no event is answered twice, and every event stored when the
 * first page was read is answered once. Events stored later are left out (the cursor's watermark).
 */
@ApplicationScoped
public class EventSearch {

    private final EventRepository repository;

    EventSearch(EventRepository repository) {
        this.repository = repository;
    }

    public Uni<EventPage> find(EventQuery query) {
        Cursor cursor = query.cursor();
        Uni<Long> watermark = cursor != null ? Uni.createFrom().item(cursor.watermark()) : repository.watermark();
        return watermark.chain(mark -> repository.page(query.filter(), query.order(),
                        cursor == null ? null : cursor.time(), cursor == null ? 0 : cursor.seq(), mark, query.limit() + 1)
                .map(rows -> {
                    boolean more = rows.size() > query.limit();
                    List<StoredEvent> page = more ? rows.subList(0, query.limit()) : rows;
                    StoredEvent last = more ? page.getLast() : null;
                    return new EventPage(page.stream().map(StoredEvent::event).toList(),
                            last == null ? null : new Cursor(last.event().time(), last.seq(), mark, query.digest()));
                }));
    }
}
