package io.miminions.localfleet;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL in a Docker container (image {@code postgres:17}, or system property
 * {@code miminions.fleet.postgres-image}); the image's entrypoint creates the fleet's user (a
 * superuser, so it may replicate) and database.
 */
final class PostgresContainerServer implements PostgresServer {

    private static final int CONTAINER_PORT = 5432;

    private final GenericContainer<?> container;

    private PostgresContainerServer(GenericContainer<?> container) {
        this.container = container;
    }

    static PostgresContainerServer start() {
        GenericContainer<?> container = new GenericContainer<>(
                DockerImageName.parse(System.getProperty("miminions.fleet.postgres-image", "postgres:17")))
                .withExposedPorts(CONTAINER_PORT)
                .withEnv("POSTGRES_USER", USER)
                .withEnv("POSTGRES_PASSWORD", PASSWORD)
                .withEnv("POSTGRES_DB", DATABASE)
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_wal_senders=20",
                        "-c", "max_replication_slots=20", "-c", "max_connections=200")
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2));
        container.start();
        return new PostgresContainerServer(container);
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(CONTAINER_PORT);
    }

    @Override
    public void close() {
        container.stop();
    }
}
