package io.miminions.intake.outbox;

import io.miminions.outbox.OutboxRecord;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Writes outbox records in the caller's Hibernate Reactive transaction. Each row is inserted,
 * flushed, then deleted before the commit: the relay reads the insert from the WAL and the table
 * stays empty.
 */
@ApplicationScoped
public class Outbox {

    public Uni<Void> append(Mutiny.Session session, List<OutboxRecord> records) {
        Object[] entries = records.stream().map(OutboxEntry::of).toArray();
        return session.persistAll(entries)
                .chain(session::flush)
                .chain(() -> session.removeAll(entries));
    }
}
