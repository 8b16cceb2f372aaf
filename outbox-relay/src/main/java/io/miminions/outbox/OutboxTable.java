package io.miminions.outbox;

import java.util.List;

/**
 * The outbox table of one service schema. Rows are inserted and deleted in the same transaction:
 * the table stays empty, and the relay reads the inserts from the write-ahead log.
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
                "ALTER TABLE " + name(schema) + " ADD COLUMN IF NOT EXISTS traceparent text");
    }

    /** The qualified table name. */
    public static String name(String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
        return schema + ".outbox";
    }

    /** Inserts one row; parameters $1…$6 are id, topic, partition, key, payload, traceparent. */
    static String insertSql(String schema) {
        return "INSERT INTO " + name(schema) + " (id, topic, kafka_partition, kafka_key, payload, traceparent) "
                + "VALUES ($1, $2, $3, $4, $5, $6)";
    }

    /** Deletes the rows just inserted; parameter $1 is the array of their ids. */
    static String deleteSql(String schema) {
        return "DELETE FROM " + name(schema) + " WHERE id = ANY($1)";
    }
}
