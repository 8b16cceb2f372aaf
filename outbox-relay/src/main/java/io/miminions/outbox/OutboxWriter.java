package io.miminions.outbox;

import io.miminions.model.Json;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** Writes outbox records inside the caller's transaction, as one row ({@link OutboxTable}). */
public final class OutboxWriter {

    private OutboxWriter() {
    }

    /**
     * Appends the records to {@code schema}'s outbox on {@code connection}, which must be inside the
     * transaction of the state change they belong to. They reach Kafka, in this order, after it commits.
     * The insert and the delete are sent together, in one round trip.
     */
    public static Uni<Void> append(SqlConnection connection, String schema, List<OutboxRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String rowId = UUID.randomUUID().toString();
        return Uni.combine().all().unis(
                        connection.preparedQuery(OutboxTable.insertSql(schema)).execute(Tuple.of(rowId, Json.write(records))),
                        connection.preparedQuery(OutboxTable.deleteSql(schema)).execute(Tuple.of(rowId)))
                .discardItems();
    }
}
