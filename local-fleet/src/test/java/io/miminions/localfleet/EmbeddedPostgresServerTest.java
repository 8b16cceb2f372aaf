package io.miminions.localfleet;

import java.nio.file.Path;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fallback for machines without PostgreSQL binaries or Docker. */
class EmbeddedPostgresServerTest {

    @Test
    void embeddedBinariesServeTheFleet(@TempDir Path dir) throws SQLException {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir)) {
            PostgresExpectations.assertReadyForTheFleet(
                    "jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + "/miminions");
        }
    }
}
