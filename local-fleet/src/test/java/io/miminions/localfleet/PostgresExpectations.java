package io.miminions.localfleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** What the fleet needs from a PostgreSQL server, checked over JDBC as the fleet's user. */
final class PostgresExpectations {

    private PostgresExpectations() {
    }

    /**
     * Logical WAL, the database {@code miminions} owned by the user {@code miminions}, and that user
     * may create (and drop) a {@code pgoutput} replication slot, as Debezium does.
     */
    static void assertReadyForTheFleet(String jdbcUrl) throws SQLException {
        String slot = "slot_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "miminions", "miminions");
             Statement statement = connection.createStatement()) {
            assertThat(queryString(statement, "SHOW wal_level")).isEqualTo("logical");
            assertThat(queryString(statement, "SELECT current_database()")).isEqualTo("miminions");
            assertThat(queryString(statement,
                    "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))
                    .isEqualTo("miminions");
            assertThat(queryString(statement,
                    "SELECT slot_name FROM pg_create_logical_replication_slot('" + slot + "', 'pgoutput')")).isEqualTo(slot);
            assertThat(queryString(statement,
                    "SELECT plugin FROM pg_replication_slots WHERE slot_name = '" + slot + "'")).isEqualTo("pgoutput");
            statement.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    private static String queryString(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).as("a row from %s", sql).isTrue();
            return result.getString(1);
        }
    }
}
