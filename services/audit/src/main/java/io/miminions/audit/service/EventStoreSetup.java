package io.miminions.audit.service;

import io.miminions.audit.ConsumedEvent;
import io.miminions.audit.StoredEvent;
import io.miminions.audit.repository.EventRepository;
import io.miminions.audit.repository.EventStoreSchema;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Prepares the store before the Kafka channels start (they start at {@code LIBRARY_BEFORE}): creates
 * the schema, runs the partition maintenance once and schedules it, and copies the rows of a table of
 * the first layout into the new one.
 */
@ApplicationScoped
public class EventStoreSetup {

    private static final Logger LOG = Logger.getLogger(EventStoreSetup.class);
    private static final int COPY_PAGE = 1000;

    private final EventStoreSchema schema;
    private final PartitionMaintenance maintenance;
    private final EventRepository repository;
    private final EventRecorder recorder;

    EventStoreSetup(EventStoreSchema schema, PartitionMaintenance maintenance, EventRepository repository,
            EventRecorder recorder) {
        this.schema = schema;
        this.maintenance = maintenance;
        this.repository = repository;
        this.recorder = recorder;
    }

    void prepare(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        schema.create().await().indefinitely();
        maintenance.run(Instant.now()).await().indefinitely();
        copyUnpartitionedEvents();
        maintenance.schedule();
    }

    /**
     * Copies the rows of the first layout in their order of arrival, through the normal insert (so
     * the states are built and ids claimed), then drops the old table. Idempotent: a copy cut short
     * goes on at the next start.
     */
    private void copyUnpartitionedEvents() {
        if (!schema.hasUnpartitionedTable().await().indefinitely()) {
            return;
        }
        long afterSeq = 0;
        long copied = 0;
        List<StoredEvent> page;
        do {
            page = repository.unpartitionedPage(afterSeq, COPY_PAGE).await().indefinitely();
            recorder.record(page.stream().map(StoredEvent::event).map(ConsumedEvent::untraced).toList()).await().indefinitely();
            copied += page.size();
            if (!page.isEmpty()) {
                afterSeq = page.getLast().seq();
            }
        } while (page.size() == COPY_PAGE);
        schema.dropUnpartitionedTable().await().indefinitely();
        LOG.infof("copied %d events of the first layout into the partitioned audit.events", copied);
    }
}
