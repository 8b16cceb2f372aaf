package io.miminions.localfleet;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the fleet's login role and database in a fresh PostgreSQL cluster. */
final class FleetDatabase {

    private FleetDatabase() {
    }

    /**
     * Connects as the superuser {@code superuser} (trust authentication) and creates the role
     * {@link PostgresServer#USER} (login, replication, superuser: this is a local cluster) and the
     * database {@link PostgresServer#DATABASE} owned by it.
     */
    static void create(String host, int port, String superuser) {
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, superuser, "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + PostgresServer.USER
                    + " WITH LOGIN SUPERUSER REPLICATION PASSWORD '" + PostgresServer.PASSWORD + "'");
            statement.execute("CREATE DATABASE " + PostgresServer.DATABASE + " OWNER " + PostgresServer.USER);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the fleet role and database at " + url, e);
        }
    }
}
