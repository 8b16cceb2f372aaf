package io.miminions.localfleet;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The whole fleet on this machine: {@link FleetInfrastructure} plus the four services run from their
 * fast-jars on free ports. Files under the work directory (default {@code <project>/.fleet-local/},
 * wiped on each start): {@code kafka/}, {@code postgres/} and one directory per service holding its
 * log ({@code <service>/<service>.log}) and whatever it writes to its working directory.
 *
 * <p>{@link #close()} stops the services, then Kafka and PostgreSQL; a JVM shutdown hook does the same if
 * the JVM exits first.
 */
public final class LocalFleet implements AutoCloseable {

    /** The services, in start order. */
    public static final List<String> SERVICES = List.of("task-intake", "scheduler", "agent-host", "audit");

    private static final System.Logger LOG = System.getLogger(LocalFleet.class.getName());
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final FleetInfrastructure infrastructure;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final List<ServiceProcess> extraAgentHosts = new ArrayList<>();
    /** What every service was started with: the infrastructure's addresses and the caller's settings. */
    private final Map<String, String> properties = new HashMap<>();
    private Path workDir;
    private final Thread shutdownHook = Thread.ofPlatform().name("local-fleet-shutdown").unstarted(this::stopAll);

    private LocalFleet(FleetInfrastructure infrastructure) {
        this.infrastructure = infrastructure;
    }

    /** Starts the fleet in {@code <project>/.fleet-local/} and returns once every service is ready. */
    public static LocalFleet start() {
        return start(Map.of());
    }

    /**
     * Starts the fleet in {@code <project>/.fleet-local/}, giving every service the extra system
     * properties {@code serviceProperties} (e.g. shorter timeouts), and returns once every service is ready.
     * A key {@code miminions.<service>.…} goes to that service only.
     */
    public static LocalFleet start(Map<String, String> serviceProperties) {
        return start(ServiceProcess.projectDir().resolve(".fleet-local"), serviceProperties);
    }

    /** Starts the fleet in {@code workDir} (wiped first) and returns once every service is ready. */
    public static LocalFleet start(Path workDir, Map<String, String> serviceProperties) {
        long began = System.nanoTime();
        Directories.deleteRecursively(workDir);
        FleetInfrastructure infrastructure = FleetInfrastructure.start(workDir);
        LocalFleet fleet = new LocalFleet(infrastructure);
        Runtime.getRuntime().addShutdownHook(fleet.shutdownHook);
        infrastructure.detachShutdownHook();
        try {
            fleet.startServices(workDir.toAbsolutePath(), serviceProperties);
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "fleet ready in {0} ms: {1}", (System.nanoTime() - began) / 1_000_000,
                fleet.services.values());
        return fleet;
    }

    private void startServices(Path workDir, Map<String, String> serviceProperties) {
        this.workDir = workDir;
        properties.put("kafka.bootstrap.servers", infrastructure.kafkaBootstrapServers());
        properties.put("quarkus.datasource.reactive.url", infrastructure.postgresReactiveUrl());
        properties.put("quarkus.datasource.username", infrastructure.postgresUser());
        properties.put("quarkus.datasource.password", infrastructure.postgresPassword());
        properties.putAll(serviceProperties);
        for (String name : SERVICES) {
            services.put(name, ServiceProcess.start(name, workDir.resolve(name), propertiesFor(name, properties)));
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<ServiceProcess>> ready = new ArrayList<>();
            for (ServiceProcess service : services.values()) {
                ready.add(CompletableFuture.supplyAsync(() -> service.awaitReady(READY_TIMEOUT), executor));
            }
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * A setting of one service (under its configuration prefix, e.g. {@code miminions.agent-host.agent-jars}
     * or {@code miminions.intake.max-task-queue-size}) goes to that service only, since each service refuses
     * keys under {@code miminions.} that it does not know; every other setting goes to all of them.
     */
    static Map<String, String> propertiesFor(String service, Map<String, String> properties) {
        Map<String, String> selected = new HashMap<>();
        properties.forEach((key, value) -> {
            String owner = SERVICES.stream().filter(s -> key.startsWith(configPrefix(s))).findFirst().orElse(service);
            if (owner.equals(service)) {
                selected.put(key, value);
            }
        });
        return selected;
    }

    /**
     * The settings of the services among {@code properties} (keys under a service's configuration
     * prefix, e.g. {@code miminions.intake.max-concurrent-agents}), so that a command line's
     * {@code -D} options reach the fleet it starts.
     */
    public static Map<String, String> serviceSettingsOf(Properties properties) {
        Map<String, String> settings = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (SERVICES.stream().anyMatch(service -> key.startsWith(configPrefix(service)))) {
                settings.put(key, properties.getProperty(key));
            }
        }
        return settings;
    }

    private static String configPrefix(String service) {
        return "miminions." + (service.equals("task-intake") ? "intake" : service) + ".";
    }

    /**
     * Starts one more agent host, with the fleet's settings plus {@code extraProperties} (such as
     * {@code miminions.agent-host.host-id}), and returns once it is ready. It shares the agents with
     * the others by the control topic's partitions, and stops with the fleet.
     */
    public synchronized ServiceProcess addAgentHost(Map<String, String> extraProperties) {
        Map<String, String> hostProperties = new HashMap<>(propertiesFor("agent-host", properties));
        hostProperties.putAll(extraProperties);
        ServiceProcess host = ServiceProcess.start("agent-host", workDir.resolve("agent-host-" + (extraAgentHosts.size() + 2)),
                hostProperties);
        extraAgentHosts.add(host);
        return host.awaitReady(READY_TIMEOUT);
    }

    public FleetInfrastructure infrastructure() {
        return infrastructure;
    }

    /** The service {@code name} (one of {@link #SERVICES}), to kill, stop or restart it. */
    public ServiceProcess service(String name) {
        ServiceProcess service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service " + name + "; the fleet runs " + SERVICES);
        }
        return service;
    }

    /** The public API (task-intake). */
    public URI intakeUri() {
        return service("task-intake").baseUri();
    }

    /** The query API and dashboard (audit). */
    public URI auditUri() {
        return service("audit").baseUri();
    }

    /** Stops the services (side by side), then Kafka and PostgreSQL. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run; stopping twice is harmless
        }
        stopAll();
    }

    private synchronized void stopAll() {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            services.values().forEach(service -> executor.execute(service::stop));
            extraAgentHosts.forEach(host -> executor.execute(host::stop));
        }
        infrastructure.close();
    }
}
