package io.miminions.localfleet;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.Uuid;

/**
 * A Kafka broker (KRaft, one combined broker and controller node) run as a child JVM from the
 * {@code kafka_2.13} jars in the local Maven repository. Files in its directory: {@code server.properties},
 * {@code data/} and {@code broker.log}.
 */
final class KafkaProcess implements KafkaBroker {

    private static final System.Logger LOG = System.getLogger(KafkaProcess.class.getName());
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private final List<String> command;
    private ChildProcess broker;

    private KafkaProcess(Path dir, int port, List<String> command) {
        this.dir = dir;
        this.port = port;
        this.command = command;
    }

    /** Writes the configuration into {@code dir} and starts the broker on free ports (formatting its storage first). */
    static KafkaProcess launch(Path dir) {
        try {
            Files.createDirectories(dir);
            int port = FreePorts.next();
            int controllerPort = FreePorts.next();
            Path log4jConfig = dir.resolve("log4j2.properties");
            try (InputStream in = resource("kafka-broker-log4j2.properties")) {
                Files.copy(in, log4jConfig);
            }
            writeServerProperties(dir, port, controllerPort);
            List<String> command = List.of(
                    ChildProcess.javaExecutable(),
                    "-Xms128m", "-Xmx512m",
                    "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:+ExplicitGCInvokesConcurrent",
                    "-Djava.awt.headless=true",
                    "-Dlog4j2.configurationFile=" + log4jConfig,
                    "-cp", brokerClasspath() + File.pathSeparator + ownClasses(),
                    KafkaBrokerMain.class.getName(), Uuid.randomUuid().toString(), "server.properties");
            KafkaProcess kafka = new KafkaProcess(dir, port, command);
            kafka.start();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka broker in " + dir, e);
        }
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public synchronized void start() {
        if (broker != null && broker.isAlive()) {
            return;
        }
        long began = System.nanoTime();
        broker = ChildProcess.start("kafka broker", command, dir, dir.resolve("broker.log"), Map.of());
        try {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            awaitListening(broker, port, deadline);
            ChildProcess started = broker;
            KafkaReadiness.await(bootstrapServers(), started.onExit(), started::logTail,
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        } catch (RuntimeException e) {
            broker.stop(Duration.ZERO);
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "{0} answers at {1} after {2} ms (log: {3})",
                broker, bootstrapServers(), (System.nanoTime() - began) / 1_000_000, broker.logFile());
    }

    @Override
    public synchronized void stop() {
        if (broker != null) {
            broker.stop(STOP_GRACE);
            broker = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Waits until the broker accepts TCP connections, so that the admin client does not log a
     * refused connection every few milliseconds while the JVM starts.
     */
    private static void awaitListening(ChildProcess broker, int port, long deadline) {
        while (System.nanoTime() < deadline && broker.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
                }
            }
        }
        if (!broker.isAlive()) {
            throw new IllegalStateException("the Kafka broker exited" + broker.logTail());
        }
    }

    private static void writeServerProperties(Path dir, int port, int controllerPort) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", "1");
        settings.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        settings.put("log.dirs", dir.resolve("data").toString());
        settings.putAll(KafkaSettings.singleNode());
        String text = settings.entrySet().stream()
                .map(setting -> setting.getKey() + "=" + setting.getValue())
                .collect(Collectors.joining("\n", "# written by local-fleet\n", "\n"));
        Files.writeString(dir.resolve("server.properties"), text);
    }

    /**
     * The broker's classpath, written at build time by the maven-dependency-plugin: the broker's own
     * artifacts plus those it shares with this module.
     */
    private static String brokerClasspath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String name : List.of("kafka-broker.classpath", "kafka-broker-shared.classpath")) {
            try (InputStream in = resource(name)) {
                Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split(File.pathSeparator))
                        .filter(entry -> !entry.isBlank())
                        .forEach(entries::add);
            }
        }
        List<String> missing = entries.stream().filter(entry -> !Files.exists(Path.of(entry))).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Kafka broker jars missing from the local Maven repository " + missing
                    + "; rebuild local-fleet (./mvnw -pl local-fleet install) on this machine");
        }
        return String.join(File.pathSeparator, entries);
    }

    private static InputStream resource(String name) {
        InputStream in = KafkaProcess.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("resource " + name + " missing next to " + KafkaProcess.class.getName());
        }
        return in;
    }

    /** The jar or directory this class was loaded from, for {@link KafkaBrokerMain}. */
    private static String ownClasses() {
        try {
            return Path.of(KafkaBrokerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
