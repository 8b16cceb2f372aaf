package io.miminions.localfleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Quarkus service of the fleet run from its fast-jar
 * ({@code services/<name>/target/quarkus-app/quarkus-run.jar}) as a child JVM, configured by system
 * properties, its output in {@code <dir>/<name>.log}, its working directory {@code dir}. The HTTP port
 * ({@code quarkus.http.port}, a free port unless given) stays the same across restarts.
 *
 * <p>A running service is stopped by a JVM shutdown hook if the JVM exits first.
 */
public final class ServiceProcess implements AutoCloseable {

    /**
     * The collector of every service unless {@code miminions.fleet.jvm-options} names another: with a
     * 512 MB heap on a machine of two cores, the benchmark's W2 had a lower median latency with it
     * than with G1, the JVM's choice for such a machine, in four pairs of runs of five
     * ({@code docs/PERFORMANCE.md}). In a container of fewer than two cores or less than about 2 GB,
     * the JVM picks it by itself.
     */
    private static final String DEFAULT_COLLECTOR = "-XX:+UseSerialGC";

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final String name;
    private final Path jar;
    private final Path dir;
    private final Map<String, String> systemProperties;
    private final int httpPort;
    private final Thread shutdownHook;
    private ChildProcess process;

    private ServiceProcess(String name, Path jar, Path dir, Map<String, String> systemProperties) {
        this.name = name;
        this.jar = jar;
        this.dir = dir.toAbsolutePath();
        Map<String, String> properties = new LinkedHashMap<>(systemProperties);
        properties.computeIfAbsent("quarkus.http.port", port -> String.valueOf(FreePorts.next()));
        this.systemProperties = Map.copyOf(properties);
        this.httpPort = Integer.parseInt(properties.get("quarkus.http.port"));
        this.shutdownHook = Thread.ofPlatform().name("local-fleet-stop-" + name).unstarted(this::stop);
    }

    /**
     * Starts the service {@code name} of this project ({@link #projectDir()}) with {@code systemProperties}.
     * Returns at once; {@link #awaitReady(Duration)} waits for it.
     */
    public static ServiceProcess start(String name, Path dir, Map<String, String> systemProperties) {
        Path jar = projectDir().resolve("services").resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: build the service first (./mvnw -pl services/" + name
                    + " package -DskipTests)");
        }
        return start(name, jar, dir, systemProperties);
    }

    /** Starts {@code java -jar jar} as the service {@code name}. Returns at once. */
    public static ServiceProcess start(String name, Path jar, Path dir, Map<String, String> systemProperties) {
        ServiceProcess service = new ServiceProcess(name, jar, dir, systemProperties);
        service.start();
        return service;
    }

    /**
     * The project's root: system property {@code miminions.project.dir}, else the nearest directory
     * upwards from the working directory that holds {@code services/} and {@code pom.xml}.
     */
    public static Path projectDir() {
        Optional<String> configured = Optional.ofNullable(System.getProperty("miminions.project.dir"));
        if (configured.isPresent()) {
            return Path.of(configured.get()).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("services")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no directory with services/ and pom.xml above " + Path.of("").toAbsolutePath()
                + "; set the system property miminions.project.dir");
    }

    public String name() {
        return name;
    }

    /** {@code http://127.0.0.1:PORT}; the same after a restart. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public Path logFile() {
        return dir.resolve(name + ".log");
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Returns once {@code GET /q/health/ready} answers 200. Fails at once if the process exits, or
     * after {@code timeout}; the failure quotes the end of the service's log.
     */
    public ServiceProcess awaitReady(Duration timeout) {
        ChildProcess running;
        synchronized (this) {
            running = process;
        }
        if (running == null) {
            throw new IllegalStateException(name + " is not running");
        }
        URI health = baseUri().resolve("/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastAnswer = "no answer";
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (System.nanoTime() < deadline) {
                if (!running.isAlive()) {
                    throw new IllegalStateException(name + " exited before it was ready" + running.logTail());
                }
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return this;
                    }
                    lastAnswer = response.statusCode() + " " + response.body();
                } catch (IOException notListeningYet) {
                    lastAnswer = notListeningYet.toString();
                }
                Thread.sleep(POLL_INTERVAL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + " (last answer from " + health + ": "
                + lastAnswer + ")" + running.logTail());
    }

    /** Ends the service at once (SIGKILL), as a crash would; no-op if it is not running. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
            removeShutdownHook();
        }
    }

    /** Stops the service gracefully (SIGTERM), forcibly after 20 s; no-op if it is not running. */
    public synchronized void stop() {
        if (process != null) {
            process.stop(STOP_GRACE);
            process = null;
            removeShutdownHook();
        }
    }

    /**
     * Stops the service if it runs and starts it again with the same port and properties. Returns
     * at once; {@link #awaitReady(Duration)} waits for it.
     */
    public synchronized void restart() {
        stop();
        start();
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void start() {
        List<String> command = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xmx512m", "-XX:+ExitOnOutOfMemoryError"));
        List<String> extra = extraJvmOptions();
        if (extra.stream().noneMatch(ServiceProcess::choosesCollector)) {
            command.add(DEFAULT_COLLECTOR);
        }
        command.addAll(extra);
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        process = ChildProcess.start(name, command, dir, logFile(), Map.of());
    }

    /** Whether a JVM option picks the garbage collector ({@code -XX:+UseG1GC}, {@code -XX:+UseZGC}, …). */
    private static boolean choosesCollector(String option) {
        return option.startsWith("-XX:+Use") && option.endsWith("GC");
    }

    /** The JVM options {@code -Dmiminions.fleet.jvm-options} adds to every service, separated by spaces. */
    private static List<String> extraJvmOptions() {
        String options = System.getProperty("miminions.fleet.jvm-options", "").strip();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // this hook may be the caller
        }
    }

    @Override
    public String toString() {
        return name + " at " + baseUri();
    }
}
