package io.miminions.localfleet;

/**
 * A running PostgreSQL server with {@code wal_level=logical}, the database {@code miminions} and
 * the login role {@code miminions} (password {@code miminions}) that may open replication slots.
 */
interface PostgresServer extends AutoCloseable {

    String DATABASE = "miminions";
    String USER = "miminions";
    String PASSWORD = "miminions";

    String host();

    int port();

    @Override
    void close();
}
