package io.miminions.outbox;

import java.util.List;

/**
 * The outbox table of one service schema. A transaction writes all its records as one row (column
 * {@code records}, a JSON array of {@link OutboxRecord}), inserted and deleted before the commit: the
 * table stays empty, and the relay reads the insert from the write-ahead log. One row per transaction
 * rather than per record keeps the relay's cost, which is mostly per row, low. Rows of one record each
 * ({@code topic} and the other columns, {@code records} null), as earlier versions wrote them, are
 * still relayed.
 */
public final class OutboxTable {

    private OutboxTable() {
    }

    /** The DDL that creates the schema and its outbox table; safe to run at every start. */
    public static List<String> createStatements(String schema) {
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + schema,
                "CREATE TABLE IF NOT EXISTS " + name(schema) + " ("
                        + "id text PRIMARY KEY, "
                        + "topic text NOT NULL, "
                        + "kafka_partition integer, "
                        + "kafka_key text, "
                        + "payload text, "
                        + "created_at timestamptz NOT NULL DEFAULT now())",
                "ALTER TABLE " + name(schema) + " ADD COLUMN IF NOT EXISTS traceparent text",
                "ALTER TABLE " + name(schema) + " ADD COLUMN IF NOT EXISTS records text",
                // stored as it is: compressing a value that is deleted before the commit only costs
                "ALTER TABLE " + name(schema) + " ALTER COLUMN records SET STORAGE EXTERNAL",
                "ALTER TABLE " + name(schema) + " ALTER COLUMN topic DROP NOT NULL",
                "ALTER TABLE " + name(schema) + " ALTER COLUMN created_at SET DEFAULT now()");
    }

    /** The qualified table name. */
    public static String name(String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
        return schema + ".outbox";
    }

    /** Inserts the row of one transaction's records; parameters $1 and $2 are its id and its records (a JSON array). */
    static String insertSql(String schema) {
        return "INSERT INTO " + name(schema) + " (id, records) VALUES ($1, $2)";
    }

    /** Deletes the row just inserted; parameter $1 is its id. */
    static String deleteSql(String schema) {
        return "DELETE FROM " + name(schema) + " WHERE id = $1";
    }
}
