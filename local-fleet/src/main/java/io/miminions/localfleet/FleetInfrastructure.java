package io.miminions.localfleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.testcontainers.DockerClientFactory;

/**
 * The real parts under the fleet: one Kafka broker (KRaft) and one PostgreSQL server with
 * {@code wal_level=logical}, the database {@code miminions} and its user. With a Docker engine they
 * run in containers (Testcontainers); without one, the broker runs as a child JVM from the Kafka jars
 * and PostgreSQL from the machine's binaries, else from embedded binaries. System property
 * {@code miminions.fleet.docker=true|false} overrides the detection.
 *
 * <p>Ports are free ports picked at start. Everything started is stopped by {@link #close()}, or by
 * a JVM shutdown hook if the JVM exits first.
 */
public final class FleetInfrastructure implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FleetInfrastructure.class.getName());

    private static FleetInfrastructure shared;

    private final Path workDir;
    private final boolean ownsWorkDir;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Thread shutdownHook = Thread.ofPlatform().name("local-fleet-shutdown").unstarted(this::closeStarted);
    private KafkaBroker kafka;
    private PostgresServer postgres;
    private boolean closed;

    private FleetInfrastructure(Path workDir, boolean ownsWorkDir) {
        this.workDir = workDir;
        this.ownsWorkDir = ownsWorkDir;
    }

    /**
     * Starts Kafka and PostgreSQL (side by side) with their files under {@code workDir}
     * ({@code kafka/}, {@code postgres/}: replaced if present), and returns once both answer.
     */
    public static FleetInfrastructure start(Path workDir) {
        return start(workDir, false);
    }

    /**
     * The infrastructure shared by everything in this JVM, started on first use in a temporary
     * directory and stopped (the directory deleted) when the JVM exits. Do not close it. Class loaders
     * other than the starting one (Quarkus tests) get a view of the same Kafka and PostgreSQL.
     */
    public static synchronized FleetInfrastructure shared() {
        if (shared == null || shared.closed || !SharedFleetRegistration.stands(shared.workDir.toString())) {
            shared = SharedFleetRegistration.claim()
                    .map(FleetInfrastructure::startShared)
                    .orElseGet(FleetInfrastructure::viewOfShared);
        }
        return shared;
    }

    private static FleetInfrastructure startShared(SharedFleetRegistration registration) {
        try {
            FleetInfrastructure infrastructure = start(Files.createTempDirectory("miminions-fleet-"), true);
            infrastructure.register(registration);
            registration.started(infrastructure);
            return infrastructure;
        } catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException("cannot create a temporary directory for the fleet", e);
            registration.failed(failure);
            throw failure;
        } catch (RuntimeException e) {
            registration.failed(e);
            throw e;
        }
    }

    /** The shared infrastructure that another class loader started: closing the view stops nothing. */
    private static FleetInfrastructure viewOfShared() {
        FleetInfrastructure view = new FleetInfrastructure(Path.of((String) SharedFleetRegistration.attribute("WorkDir")), false);
        String bootstrapServers = (String) SharedFleetRegistration.attribute("KafkaBootstrapServers");
        String postgresHost = (String) SharedFleetRegistration.attribute("PostgresHost");
        int postgresPort = (Integer) SharedFleetRegistration.attribute("PostgresPort");
        view.kafka = new KafkaBroker() {
            @Override
            public String bootstrapServers() {
                return bootstrapServers;
            }

            @Override
            public void start() {
                SharedFleetRegistration.invoke("startKafka");
            }

            @Override
            public void stop() {
                SharedFleetRegistration.invoke("stopKafka");
            }

            @Override
            public void close() {
                // the owner stops the broker
            }
        };
        view.postgres = new PostgresServer() {
            @Override
            public String host() {
                return postgresHost;
            }

            @Override
            public int port() {
                return postgresPort;
            }

            @Override
            public void close() {
                // the owner stops the server
            }
        };
        return view;
    }

    private static FleetInfrastructure start(Path workDir, boolean ownsWorkDir) {
        FleetInfrastructure infrastructure = new FleetInfrastructure(workDir.toAbsolutePath(), ownsWorkDir);
        Runtime.getRuntime().addShutdownHook(infrastructure.shutdownHook);
        try {
            infrastructure.startParts();
            return infrastructure;
        } catch (RuntimeException e) {
            infrastructure.close();
            throw e;
        }
    }

    private void startParts() {
        Path kafkaDir = workDir.resolve("kafka");
        Path postgresDir = workDir.resolve("postgres");
        Directories.deleteRecursively(kafkaDir);
        Directories.deleteRecursively(postgresDir);
        boolean docker = System.getProperty("miminions.fleet.docker") != null
                ? Boolean.getBoolean("miminions.fleet.docker")
                : dockerAvailable();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<KafkaBroker> kafkaStarted = CompletableFuture.supplyAsync(
                    startAndRegister("Kafka", docker ? KafkaContainerBroker::launch : () -> KafkaProcess.launch(kafkaDir)),
                    executor);
            CompletableFuture<PostgresServer> postgresStarted = CompletableFuture.supplyAsync(
                    startAndRegister("PostgreSQL", docker ? PostgresContainerServer::start : () -> startPostgresWithoutDocker(postgresDir)),
                    executor);
            kafka = kafkaStarted.join();
            postgres = postgresStarted.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Asks Testcontainers, but only where a Docker engine may be: without any of its sockets or
     * settings, Testcontainers would log an error for every JVM that asks.
     */
    private static boolean dockerAvailable() {
        Path home = Path.of(System.getProperty("user.home"));
        Stream<Path> places = Stream.of(Path.of("/var/run/docker.sock"), home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock"), home.resolve(".testcontainers.properties"));
        if (System.getenv("XDG_RUNTIME_DIR") != null) {
            places = Stream.concat(places, Stream.of(Path.of(System.getenv("XDG_RUNTIME_DIR"), "docker.sock")));
        }
        boolean mayHaveDocker = System.getenv("DOCKER_HOST") != null || places.anyMatch(Files::exists);
        return mayHaveDocker && DockerClientFactory.instance().isDockerAvailable();
    }

    private static PostgresServer startPostgresWithoutDocker(Path dir) {
        return PostgresProcess.machineBinaries()
                .<PostgresServer>map(bin -> PostgresProcess.start(bin, dir))
                .orElseGet(() -> EmbeddedPostgresServer.start(dir));
    }

    /** Starts a part, logs how long that took, and registers it for {@link #close()}. */
    private <T extends AutoCloseable> Supplier<T> startAndRegister(String name, Supplier<T> start) {
        return () -> {
            long began = System.nanoTime();
            T part = start.get();
            LOG.log(System.Logger.Level.INFO, "{0} ready in {1} ms ({2}, files in {3})", name,
                    (System.nanoTime() - began) / 1_000_000, part.getClass().getSimpleName(), workDir);
            register(part);
            return part;
        };
    }

    /** Keeps a started part for {@link #close()}; closes it at once if this instance was closed meanwhile. */
    private synchronized void register(AutoCloseable part) {
        started.push(part);
        if (closed) {
            closeStarted();
        }
    }

    /** The broker, to stop and start it again (same address, same data). */
    public KafkaBroker kafka() {
        return kafka;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** For {@code quarkus.datasource.reactive.url}: {@code postgresql://HOST:PORT/miminions}. */
    public String postgresReactiveUrl() {
        return "postgresql://" + postgresHost() + ":" + postgresPort() + "/" + postgresDatabase();
    }

    /** {@code jdbc:postgresql://HOST:PORT/miminions}. */
    public String postgresJdbcUrl() {
        return "jdbc:" + postgresReactiveUrl();
    }

    public String postgresHost() {
        return postgres.host();
    }

    public int postgresPort() {
        return postgres.port();
    }

    public String postgresDatabase() {
        return PostgresServer.DATABASE;
    }

    public String postgresUser() {
        return PostgresServer.USER;
    }

    public String postgresPassword() {
        return PostgresServer.PASSWORD;
    }

    /** The directory holding the parts' files and logs. */
    public Path workDir() {
        return workDir;
    }

    /** Stops Kafka and PostgreSQL; once stopped, this instance stays stopped. */
    @Override
    public void close() {
        detachShutdownHook();
        closeStarted();
    }

    /**
     * For an owner whose own shutdown hook closes this instance after the processes that use it
     * ({@link LocalFleet}): hooks run side by side, so this one would stop Kafka under their feet.
     */
    void detachShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run: closeStarted is idempotent
        }
    }

    private synchronized void closeStarted() {
        closed = true;
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "cannot stop " + part, e);
            }
        }
        if (ownsWorkDir) {
            try {
                Directories.deleteRecursively(workDir);
            } catch (UncheckedIOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete " + workDir, e);
            }
        }
    }
}
