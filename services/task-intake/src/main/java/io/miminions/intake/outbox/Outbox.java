package io.miminions.intake.outbox;

import io.miminions.model.Json;
import io.miminions.outbox.OutboxRecord;
import io.miminions.outbox.OutboxRelay;
import io.miminions.outbox.OutboxRelay.EarlyPublication;
import io.miminions.outbox.OutboxTable;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Writes outbox records in the caller's Hibernate Reactive transaction, as one row
 * ({@link OutboxTable}) inserted, then deleted before the commit: the relay reads the insert from the
 * WAL and the table stays empty.
 *
 * <p>Records written in a transaction opened by {@link #inTransaction} are also sent to Kafka right
 * after its commit ({@link OutboxRelay#announce}), the relay sending only what Kafka did not take.
 * Use it where the order of records across concurrent transactions does not matter (tasks and their
 * events: the scheduler orders tasks by submission number); agent commands, whose order per agent
 * matters on the compacted control topic, are written in plain transactions and relayed in commit order.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = "INSERT INTO intake.outbox (id, records) VALUES (:id, :records)";
    private static final String DELETE = "DELETE FROM intake.outbox WHERE id = :id";

    private final Mutiny.SessionFactory sessions;
    private final OutboxRelay relay;
    /** The early publications of the transactions {@link #inTransaction} has open, by session. */
    private final Map<Mutiny.QueryProducer, List<EarlyPublication>> open = new ConcurrentHashMap<>();

    Outbox(Mutiny.SessionFactory sessions, OutboxRelay relay) {
        this.sessions = sessions;
        this.relay = relay;
    }

    /**
     * Runs {@code work} in a transaction of a stateless session (no persistence context to track and
     * flush: the work inserts what it stores); the records it appends are sent to Kafka right after
     * the commit.
     */
    public <T> Uni<T> inTransaction(Function<Mutiny.StatelessSession, Uni<T>> work) {
        List<EarlyPublication> announced = new ArrayList<>();
        return sessions.withStatelessTransaction(session -> {
                    open.put(session, announced);
                    return work.apply(session).eventually(() -> open.remove(session));
                })
                .onItemOrFailure().invoke((result, failure) -> announced.forEach(failure == null
                        ? EarlyPublication::send
                        : EarlyPublication::abandon));
    }

    public Uni<Void> append(Mutiny.QueryProducer session, List<OutboxRecord> records) {
        List<EarlyPublication> announced = open.get(session);
        if (announced != null) {
            announced.add(relay.announce(records));
        }
        String rowId = UUID.randomUUID().toString();
        return session.createNativeMutationQuery(INSERT).setParameter("id", rowId).setParameter("records", Json.write(records))
                .executeUpdate()
                .chain(() -> session.createNativeMutationQuery(DELETE).setParameter("id", rowId).executeUpdate())
                .replaceWithVoid();
    }
}
