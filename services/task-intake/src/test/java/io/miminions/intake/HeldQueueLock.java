package io.miminions.intake;

import static io.miminions.intake.IntakeFixtures.RELAYED;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds an exclusive lock on {@code intake.queue} from a connection of its own until it is closed.
 * Every submission reads the queue length under the submission lock, so the first one waits for this
 * lock inside its transaction and the others wait for the submission lock behind it.
 */
final class HeldQueueLock implements AutoCloseable {

    /** What a submission's transaction sends when it reads the queue length. */
    static final String QUEUE_LENGTH_QUERY = "SELECT unfinished FROM intake.queue";

    private final Pool pool;
    private final SqlConnection connection;
    private final Transaction transaction;

    HeldQueueLock(Pool pool) {
        this.pool = pool;
        connection = pool.getConnection().await().atMost(RELAYED);
        transaction = connection.begin().await().atMost(RELAYED);
        connection.query("LOCK TABLE intake.queue IN ACCESS EXCLUSIVE MODE").execute().await().atMost(RELAYED);
    }

    /**
     * The server processes of the transactions waiting for this lock to read the queue length (asked
     * on another connection: a transaction sees one snapshot of the server's activity).
     */
    List<Integer> waitingToReadTheQueue() {
        List<Integer> pids = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1")
                .execute(Tuple.of(QUEUE_LENGTH_QUERY + "%")).await().atMost(RELAYED)) {
            pids.add(row.getInteger("pid"));
        }
        return pids;
    }

    /** Ends the server process, as a lost connection would: its transaction fails. */
    void cut(int pid) {
        pool.preparedQuery("SELECT pg_terminate_backend($1)").execute(Tuple.of(pid)).await().atMost(RELAYED);
    }

    @Override
    public void close() {
        try {
            transaction.rollback().await().atMost(RELAYED);
        } finally {
            connection.close().await().atMost(RELAYED);
        }
    }
}
