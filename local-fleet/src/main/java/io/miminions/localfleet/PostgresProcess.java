package io.miminions.localfleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * PostgreSQL from the machine's server binaries ({@code /usr/lib/postgresql/<major>/bin}, the newest
 * major), in a private data directory, port and socket directory. Files in its directory:
 * {@code data/}, {@code run/} (socket), {@code postgres.log}, {@code initdb.log}.
 *
 * <p>initdb refuses to run as root, so when this JVM is root the server runs as the {@code postgres}
 * user, in a directory of its own under the system's temporary directory (which that user can reach,
 * unlike, say, a work directory under {@code /root}), linked from the requested directory and
 * deleted when the server stops.
 */
final class PostgresProcess implements PostgresServer {

    private static final System.Logger LOG = System.getLogger(PostgresProcess.class.getName());
    private static final Path DEBIAN_INSTALLATIONS = Path.of("/usr/lib/postgresql");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path bin;
    private final Path dir;
    private final int port;
    private final Optional<String> runAs;

    private PostgresProcess(Path bin, Path dir, int port, Optional<String> runAs) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.runAs = runAs;
    }

    /**
     * The newest machine installation's {@code bin} directory, if there is one this JVM can use
     * (as root, only when a {@code postgres} user exists to run it).
     */
    static Optional<Path> machineBinaries() {
        if (isRoot() && postgresUser().isEmpty()) {
            return Optional.empty();
        }
        if (!Files.isDirectory(DEBIAN_INSTALLATIONS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_INSTALLATIONS)) {
            return versions
                    .filter(version -> version.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .filter(version -> Files.isExecutable(version.resolve("bin/initdb"))
                            && Files.isExecutable(version.resolve("bin/pg_ctl")))
                    .max(Comparator.comparingDouble(version -> Double.parseDouble(version.getFileName().toString())))
                    .map(version -> version.resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Creates a cluster in {@code dir} with the machine binaries in {@code bin} and starts it on a free port. */
    static PostgresProcess start(Path bin, Path dir) {
        Optional<String> runAs = isRoot() ? Optional.of("postgres") : Optional.empty();
        PostgresProcess postgres = new PostgresProcess(bin, runAs.isPresent() ? directoryForPostgresUser(dir) : dir,
                FreePorts.next(), runAs);
        try {
            postgres.initialise();
            postgres.pgCtl("start", "-w", "-t", "60", "-l", postgres.dir.resolve("postgres.log").toString());
            FleetDatabase.create(postgres.host(), postgres.port, "postgres");
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        if (Files.exists(dir.resolve("data/postmaster.pid"))) {
            try {
                pgCtl("stop", "-w", "-t", "20", "-m", "fast");
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "pg_ctl stop failed, killing the postmaster", e);
                killPostmaster();
            }
        }
        if (runAs.isPresent()) {
            Directories.deleteRecursively(dir);
        }
    }

    /** A new directory under the system's temporary directory, owned by postgres, linked from {@code link}. */
    private static Path directoryForPostgresUser(Path link) {
        try {
            Path dir = Files.createTempDirectory("miminions-postgres-");
            Files.setOwner(dir, postgresUser().orElseThrow());
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for PostgreSQL", e);
        }
    }

    private void initialise() {
        try {
            Files.createDirectories(dir.resolve("run"));
            if (runAs.isPresent()) {
                Files.setOwner(dir.resolve("run"), postgresUser().orElseThrow());
            }
            run("initdb", List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                    "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"),
                    dir.resolve("initdb.log"));
            Files.writeString(dir.resolve("data/postgresql.conf"), """

                    # local-fleet
                    listen_addresses = '127.0.0.1'
                    port = %d
                    unix_socket_directories = '%s'
                    wal_level = logical
                    max_wal_senders = 20
                    max_replication_slots = 20
                    max_connections = 200
                    """.formatted(port, dir.resolve("run")), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare PostgreSQL in " + dir, e);
        }
    }

    private void pgCtl(String action, String... options) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), action, "-D", dir.resolve("data").toString()));
        command.addAll(List.of(options));
        run("pg_ctl " + action, command, dir.resolve("pg_ctl.log"));
    }

    private void run(String name, List<String> command, Path logFile) {
        List<String> full = new ArrayList<>();
        runAs.ifPresent(user -> full.addAll(List.of("runuser", "-u", user, "--")));
        full.addAll(command);
        ChildProcess.run(name, full, dir, logFile, COMMAND_TIMEOUT);
    }

    private void killPostmaster() {
        try {
            long pid = Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid")).getFirst().trim());
            ProcessHandle.of(pid).ifPresent(postmaster -> {
                postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
                postmaster.destroyForcibly();
                postmaster.onExit().join();
            });
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot kill the postmaster of " + dir, e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Optional<UserPrincipal> postgresUser() {
        try {
            return Optional.of(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        } catch (UserPrincipalNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
