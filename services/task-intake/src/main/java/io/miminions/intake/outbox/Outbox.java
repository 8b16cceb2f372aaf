package io.miminions.intake.outbox;

import io.miminions.model.Json;
import io.miminions.outbox.OutboxRecord;
import io.miminions.outbox.OutboxRelay;
import io.miminions.outbox.OutboxRelay.EarlyPublication;
import io.miminions.outbox.OutboxTable;
import io.miminions.outbox.OutboxWriter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Writes outbox records in the caller's transaction, as one row ({@link OutboxTable}) inserted, then
 * deleted before the commit: the relay reads the insert from the WAL and the table stays empty.
 *
 * <p>Records written in a transaction opened by {@link #inTransaction} (tasks and their events, in
 * plain SQL) are also sent to Kafka right after its commit ({@link OutboxRelay#announce}), the relay
 * sending only what Kafka did not take. That suits records whose order across concurrent
 * transactions does not matter: the scheduler orders tasks by submission number. Agent commands,
 * whose order per agent matters on the compacted control topic, are written in plain Hibernate
 * transactions ({@link #append(Mutiny.Session, List)}) and relayed in commit order.
 */
@ApplicationScoped
public class Outbox {

    private static final String SCHEMA = "intake";
    private static final String INSERT = "INSERT INTO intake.outbox (id, records) VALUES (:id, :records)";
    private static final String DELETE = "DELETE FROM intake.outbox WHERE id = :id";

    private final Pool pool;
    private final OutboxRelay relay;
    /** The early publications of the transactions {@link #inTransaction} has open, by connection. */
    private final Map<SqlConnection, List<EarlyPublication>> open = new ConcurrentHashMap<>();

    Outbox(Pool pool, OutboxRelay relay) {
        this.pool = pool;
        this.relay = relay;
    }

    /** Runs {@code work} in a transaction; the records it appends are sent to Kafka right after the commit. */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        List<EarlyPublication> announced = new ArrayList<>();
        return pool.withTransaction(connection -> {
                    open.put(connection, announced);
                    return work.apply(connection).eventually(() -> open.remove(connection));
                })
                .onItemOrFailure().invoke((result, failure) -> announced.forEach(failure == null
                        ? EarlyPublication::send
                        : EarlyPublication::abandon));
    }

    /** Appends the records in a transaction of {@link #inTransaction}, which sends them to Kafka after its commit. */
    public Uni<Void> append(SqlConnection connection, List<OutboxRecord> records) {
        List<EarlyPublication> announced = open.get(connection);
        if (announced == null) {
            throw new IllegalStateException("not a connection of Outbox.inTransaction");
        }
        announced.add(relay.announce(records));
        return OutboxWriter.append(connection, SCHEMA, records);
    }

    /** Appends the records in the session's transaction; the relay sends them in commit order. */
    public Uni<Void> append(Mutiny.Session session, List<OutboxRecord> records) {
        String rowId = UUID.randomUUID().toString();
        return session.createNativeMutationQuery(INSERT).setParameter("id", rowId).setParameter("records", Json.write(records))
                .executeUpdate()
                .chain(() -> session.createNativeMutationQuery(DELETE).setParameter("id", rowId).executeUpdate())
                .replaceWithVoid();
    }
}
