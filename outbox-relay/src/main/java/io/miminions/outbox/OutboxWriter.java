package io.miminions.outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;

/** Writes outbox records inside the caller's transaction. */
public final class OutboxWriter {

    private OutboxWriter() {
    }

    /**
     * Appends the records to {@code schema}'s outbox on {@code connection}, which must be inside the
     * transaction of the state change they belong to. They reach Kafka, in this order, after it commits.
     */
    public static Uni<Void> append(SqlConnection connection, String schema, List<OutboxRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = records.stream()
                .map(r -> Tuple.of(r.id(), r.topic(), r.partition(), r.key(), r.payload(), r.traceparent()))
                .toList();
        String[] ids = records.stream().map(OutboxRecord::id).toArray(String[]::new);
        return connection.preparedQuery(OutboxTable.insertSql(schema)).executeBatch(rows)
                .chain(() -> connection.preparedQuery(OutboxTable.deleteSql(schema)).execute(Tuple.tuple().addArrayOfString(ids)))
                .replaceWithVoid();
    }
}
