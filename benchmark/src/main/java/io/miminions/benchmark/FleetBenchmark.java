package io.miminions.benchmark;

import io.miminions.benchmark.agents.BenchmarkAgent;
import io.miminions.client.MiminionsClient;
import io.miminions.client.TaskOptions;
import io.miminions.localfleet.ServiceProcess;
import io.miminions.model.AgentStatus;
import io.miminions.model.Json;
import io.miminions.model.TaskSubmission;
import io.miminions.model.Topics;
import io.miminions.model.api.TaskView;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Runs the fleet's workloads and Kafka's baseline on the same broker, and prints a table and JSON.
 *
 * <p>{@code ./mvnw -Pbenchmark} starts the local fleet (the agent hosts load this module's
 * {@link BenchmarkAgent}); {@code -Dbenchmark.intake=URL -Dbenchmark.kafka=HOST:PORT} connects to a
 * running fleet instead, whose agent hosts must load the same agents ({@link Settings}).
 * {@code -Dbenchmark.full=true} adds the 200,000-task run of W1, and
 * {@code -Dbenchmark.workloads=W2,W4} runs only the workloads named. A warm-up, not measured,
 * comes first ({@code -Dbenchmark.warm-up=false} leaves it out). A workload that fails or times out is
 * reported as such, never dropped.
 */
public final class FleetBenchmark {

    private static final String AGENT_TYPE = BenchmarkAgent.class.getName();
    private static final int ROUND_TRIPS = 520;
    private static final int WARM_UP = 20;

    private static final Duration IDLE_CPU_WINDOW = Duration.ofSeconds(10);
    private static final Duration CHAIN_HOLD = Duration.ofSeconds(10);
    private static final int WARM_UP_KAFKA_TASKS = 2_000;
    private static final int WARM_UP_REST_TASKS = 500;
    private static final double WARM_UP_SETTLED_JIT_PERCENT = 10;
    private static final int WARM_UP_MAX_ROUNDS = 10;
    /** W2's submissions per second. */
    private static final int LATENCY_RATE_PER_S = 100;
    /** The agents of seed example 2 (W5), which the warm-up uses too. */
    private static final int SEED_AGENTS = 5;
    /** The agents of W1, W2 and W4. */
    private static final int AGENTS = 8;
    /** How many agents W6 starts, at most, to find one on another host than its first. */
    private static final int PEER_ATTEMPTS = 8;

    private final BenchmarkFleet fleet;
    private final Settings settings;
    private final MiminionsClient runtime;
    private final EventWatch events;
    private final Map<String, Object> results = new LinkedHashMap<>();
    /** The agents the workloads share, W5's first. */
    private final List<String> agents = new ArrayList<>();
    /** Every agent this run started. */
    private final List<String> started = new ArrayList<>();

    private FleetBenchmark(BenchmarkFleet fleet, Settings settings) {
        this.fleet = fleet;
        this.settings = settings;
        this.runtime = MiminionsClient.connect(fleet.intakeUri());
        this.events = new EventWatch(fleet.kafkaBootstrapServers());
    }

    /**
     * How a run is set up, from system properties: which fleet, which workloads, with or without the
     * warm-up.
     *
     * @param intake    {@code benchmark.intake}: a running fleet's public API; when absent the benchmark
     *                  starts a local fleet
     * @param kafka     {@code benchmark.kafka}: that fleet's Kafka bootstrap servers (required with intake)
     * @param scheduler {@code benchmark.scheduler}: that fleet's scheduler, for its meters (optional)
     * @param workloads {@code benchmark.workloads}: the names, or prefixes before {@code _}, of the
     *                  workloads to run; empty runs all
     * @param warmUp    {@code benchmark.warm-up}, default true
     * @param full      {@code benchmark.full}: W1 at 200,000 tasks too, default false
     * @param agentPrefetch {@code benchmark.agent-prefetch}: the started fleet's
     *                  {@code miminions.scheduler.agent-prefetch}, default {@value #AGENT_PREFETCH}
     */
    record Settings(URI intake, String kafka, URI scheduler, List<String> workloads, boolean warmUp, boolean full,
            int agentPrefetch) {

        /** Tasks an agent may hold beyond the one it runs, in the fleet the benchmark starts: short tasks, so throughput first. */
        static final int AGENT_PREFETCH = 3;

        Settings {
            if (intake != null && (kafka == null || kafka.isBlank())) {
                throw new IllegalArgumentException("-Dbenchmark.intake needs -Dbenchmark.kafka, the fleet's Kafka bootstrap servers");
            }
            workloads = List.copyOf(workloads);
        }

        static Settings fromSystemProperties() {
            String workloads = System.getProperty("benchmark.workloads", "");
            return new Settings(uri(System.getProperty("benchmark.intake")), System.getProperty("benchmark.kafka"),
                    uri(System.getProperty("benchmark.scheduler")),
                    Arrays.stream(workloads.split(",")).map(String::trim).filter(w -> !w.isEmpty()).toList(),
                    Boolean.parseBoolean(System.getProperty("benchmark.warm-up", "true")),
                    Boolean.parseBoolean(System.getProperty("benchmark.full", "false")),
                    Integer.parseInt(System.getProperty("benchmark.agent-prefetch", String.valueOf(AGENT_PREFETCH))));
        }

        private static URI uri(String value) {
            return value == null || value.isBlank() ? null : URI.create(value);
        }

        /**
         * The running fleet named (its PostgreSQL measured if it is the one {@code ./mvnw -Pdemo} runs
         * in {@code .fleet-local/}), or a local one started with room for W1's largest backlog and
         * the agent prefetch.
         */
        BenchmarkFleet fleet() {
            if (intake != null) {
                return BenchmarkFleet.running(intake, kafka, scheduler, ServiceProcess.projectDir().resolve(".fleet-local"));
            }
            return BenchmarkFleet.start(Map.of(
                    "miminions.agent-host.agent-jars",
                    Path.of(System.getProperty("benchmark.agent-jars", "benchmark/target/agent-jars")).toAbsolutePath().toString(),
                    "miminions.intake.max-task-queue-size", "250000",
                    "miminions.scheduler.agent-prefetch", String.valueOf(agentPrefetch)));
        }

        boolean selects(String workload) {
            return workloads.isEmpty() || workloads.stream().anyMatch(w -> workload.equals(w) || workload.startsWith(w + "_"));
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        try (BenchmarkFleet fleet = settings.fleet()) {
            report(run(fleet, settings));
        }
    }

    /** Runs the selected workloads against {@code fleet}; answers their figures by workload, in order. */
    static Map<String, Object> run(BenchmarkFleet fleet, Settings settings) throws Exception {
        Map<String, Object> memoryAtIdle = fleet.processes().residentMegabytes();
        Map<String, Object> cpuAtIdle = idleCpu(fleet.processes());
        FleetBenchmark benchmark = new FleetBenchmark(fleet, settings);
        try {
            benchmark.results.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                    "java", Runtime.version().toString()));
            Map<String, Object> described = new LinkedHashMap<>(fleet.describe());
            // tasks go to any free agent: others running in the fleet take part of every workload
            described.put("other_agents_running", benchmark.runtime.listAgents(AgentStatus.RUNNING).size());
            benchmark.results.put("fleet", described);
            if (settings.warmUp()) {
                benchmark.warmUp();
            }
            benchmark.run("baseline_kafka", () -> new KafkaBaseline(fleet.kafkaBootstrapServers()).run(200_000, 1_000));
            benchmark.run("W5_seed_example_2", benchmark::seedExampleTwo);
            benchmark.run("W1_throughput_2000", () -> benchmark.throughput(2_000));
            benchmark.run("W1_throughput_20000", () -> benchmark.throughput(20_000));
            if (settings.full()) {
                benchmark.run("W1_throughput_200000", () -> benchmark.throughput(200_000));
            } else {
                benchmark.results.put("W1_throughput_200000", Map.of("status", "not run: add -Dbenchmark.full=true"));
            }
            benchmark.results.put("memory_idle_rss_mb", found(memoryAtIdle));
            benchmark.results.put("cpu_idle_percent_of_one_core", found(cpuAtIdle));
            benchmark.results.put("memory_after_W1_rss_mb", found(fleet.processes().residentMegabytes()));
            benchmark.run("W2_latency", benchmark::latency);
            benchmark.run("W3_chain", benchmark::chain);
            benchmark.run("W4_priority", benchmark::priority);
            benchmark.run("W6_messaging", benchmark::messaging);
        } finally {
            benchmark.events.close();
            if (!fleet.startedHere()) {
                benchmark.stopAgents();
            }
        }
        return benchmark.results;
    }

    /** Figures per process, or why there are none: the fleet runs elsewhere. */
    private static Object found(Map<String, ?> perProcess) {
        return perProcess.isEmpty() ? "not measured: no process of the fleet on this machine" : perProcess;
    }

    /** The share of one core each process of the idle fleet uses, over ten seconds. */
    private static Map<String, Object> idleCpu(FleetProcesses processes) throws InterruptedException {
        Map<String, Long> before = processes.cpuMillis();
        Thread.sleep(IDLE_CPU_WINDOW.toMillis());
        Map<String, Object> percent = new LinkedHashMap<>();
        processes.cpuMillis().forEach((process, millis) ->
                percent.put(process, Percentiles.round((millis - before.getOrDefault(process, 0L)) * 100.0 / IDLE_CPU_WINDOW.toMillis())));
        return percent;
    }

    private interface Workload {
        Map<String, Object> run() throws Exception;
    }

    private void run(String name, Workload workload) {
        if (!settings.selects(name)) {
            results.put(name, Map.of("status", "not run: not in -Dbenchmark.workloads=" + String.join(",", settings.workloads())));
            return;
        }
        System.out.println("running " + name + " …");
        try {
            results.put(name, workload.run());
        } catch (Exception | AssertionError e) {
            results.put(name, Map.of("status", "FAILED: " + e));
        }
        System.out.println("  " + results.get(name));
    }

    private void startAgents(int count) {
        while (agents.size() < count) {
            agents.add(startAgent("bench-" + agents.size()));
        }
    }

    /** Stops and deregisters the agents this run started, leaving a running fleet as it found it. */
    private void stopAgents() {
        for (String agentId : started) {
            try {
                AgentStatus status = runtime.getAgentStatus(agentId).status();
                if (status == AgentStatus.RUNNING || status == AgentStatus.PAUSED) {
                    runtime.stopAgent(agentId, false);
                }
                runtime.deregisterAgent(agentId);
            } catch (RuntimeException e) {
                System.out.println("could not stop agent " + agentId + ": " + e);
            }
        }
    }

    /**
     * W6: request/response between two agents on different agent hosts (a second host is added):
     * one agent sends {@value #ROUND_TRIPS} requests one after another and waits for each response;
     * the round trip's p50 and p99, without the first {@value #WARM_UP} (connections, JIT). A running
     * fleet needs two agent hosts already.
     */
    private Map<String, Object> messaging() throws Exception {
        fleet.addAgentHost();
        String ping = startAgent("ping");
        String pingHost = runtime.getAgentStatus(ping).hostId();
        String pong = startAgent("pong");
        for (int attempt = 1; pingHost.equals(runtime.getAgentStatus(pong).hostId()); attempt++) {
            if (attempt == PEER_ATTEMPTS) {
                throw new IllegalStateException(PEER_ATTEMPTS + " agents started on host " + pingHost
                        + ", none elsewhere: W6 needs a second agent host");
            }
            pong = startAgent("pong");
        }
        String answering = runtime.submitTask("pong", Map.of("action", "pong", "count", ROUND_TRIPS),
                TaskOptions.builder().agentId(pong).build());
        String asking = runtime.submitTask("ping", Map.of("action", "ping", "peer", pong, "count", ROUND_TRIPS),
                TaskOptions.builder().agentId(ping).build());
        TaskView pinged = runtime.waitForTask(asking, Duration.ofMinutes(5));
        runtime.waitForTask(answering, Duration.ofMinutes(1));
        if (!(pinged.output().get("roundTripsMs") instanceof List<?> roundTrips) || roundTrips.size() != ROUND_TRIPS) {
            throw new IllegalStateException("the ping task ended " + pinged.status() + " with " + pinged.output());
        }
        List<Double> measured = roundTrips.subList(WARM_UP, roundTrips.size()).stream()
                .map(rtt -> ((Number) rtt).doubleValue()).toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("round_trips", measured.size());
        result.put("hosts", List.of(pingHost, runtime.getAgentStatus(pong).hostId()));
        result.put("round_trip", Percentiles.of(measured).toMap());
        return result;
    }

    /** Registers and starts an agent of the benchmark's type; this run stops it at the end on a running fleet. */
    private String startAgent(String name) {
        String agentId = runtime.registerAgent(name, AGENT_TYPE);
        started.add(agentId);
        runtime.startAgent(agentId, Duration.ofSeconds(60));
        return agentId;
    }

    /** W5: seed example 2, 5 agents × 20 tasks × 2 s; the ideal makespan is 8 s. */
    private Map<String, Object> seedExampleTwo() throws Exception {
        startAgents(SEED_AGENTS);
        Instant began = Instant.now();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(runtime.submitTask("process-item-" + i, Map.of("item_id", i, "sleepMs", 2000)));
        }
        Instant allSubmitted = Instant.now();
        Map<String, Object> result = awaitAll(ids, Duration.ofSeconds(120));
        result.put("makespan_s", seconds(began, lastEnd(ids)));
        result.put("ideal_s", 8.0);
        // where the time beyond the ideal goes: submitting, the first start, the moment all the
        // agents were busy (the fifth start), and each task's own run
        result.put("submitted_s", seconds(began, allSubmitted));
        List<Instant> starts = ids.stream().map(events::startedAt).filter(Objects::nonNull).sorted().toList();
        if (!starts.isEmpty()) {
            result.put("first_started_s", seconds(began, starts.getFirst()));
        }
        if (starts.size() >= SEED_AGENTS) {
            result.put("all_busy_s", seconds(began, starts.get(SEED_AGENTS - 1)));
        }
        List<Double> runs = new ArrayList<>();
        ids.forEach(id -> {
            EventWatch.TaskTimes end = events.endOf(id);
            if (end != null && end.started() != null) {
                runs.add(millis(end.started(), end.ended()));
            }
        });
        result.put("started_to_ended", Percentiles.of(runs).toMap());
        return result;
    }

    /**
     * W1: {@code count} no-op tasks published to Kafka as fast as it takes them; tasks/s until the
     * last completes, and the CPU time each process of the fleet spent per task meanwhile.
     */
    private Map<String, Object> throughput(int count) throws Exception {
        int room = runtime.getLimits().maxTaskQueueSize();
        if (count > room) {
            throw new IllegalStateException("the fleet holds at most " + room
                    + " unfinished tasks (miminions.intake.max-task-queue-size); this workload queues " + count);
        }
        startAgents(AGENTS);
        Costs before = Costs.of(fleet);
        Instant began = Instant.now();
        List<String> ids = publishNoOps(count);
        Map<String, Object> result = awaitAll(ids, Duration.ofSeconds(Math.max(120, count / 50)));
        double seconds = seconds(began, lastEnd(ids));
        result.put("seconds", seconds);
        result.put("tasks_per_s", Math.round(count / seconds));
        result.put("ms_per_task", Percentiles.round(seconds * 1000 / count));
        result.put("last_passed_s", lastPassed(ids, began));
        before.putSince(fleet, count, result);
        return result;
    }

    /** What the fleet has spent so far: CPU time per process, its JIT compilers' share, the scheduler's steps (if known). */
    private record Costs(Map<String, Long> cpuMillis, FleetProcesses.CpuTicks ticks, SchedulerSteps.Snapshot steps) {

        static Costs of(BenchmarkFleet fleet) throws IOException, InterruptedException {
            return new Costs(fleet.processes().cpuMillis(), fleet.processes().cpuTicks(), steps(fleet));
        }

        private static SchedulerSteps.Snapshot steps(BenchmarkFleet fleet) throws IOException, InterruptedException {
            return fleet.schedulerUri().isEmpty() ? null : SchedulerSteps.read(fleet.schedulerUri().get());
        }

        /**
         * Puts into {@code result} what the fleet spent on {@code tasks} tasks since this sample: CPU time
         * per task of each process found on this machine, in microseconds ({@code cpu_us_per_task}), the
         * JIT's share of it ({@code jit_percent_of_cpu}) and the scheduler's steps ({@code scheduler_steps}).
         */
        void putSince(BenchmarkFleet fleet, int tasks, Map<String, Object> result) throws IOException, InterruptedException {
            Map<String, Object> cpuPerTask = new LinkedHashMap<>();
            fleet.processes().cpuMillis().forEach((process, millis) ->
                    cpuPerTask.put(process, Math.round((millis - cpuMillis.getOrDefault(process, 0L)) * 1000.0 / tasks)));
            result.put("cpu_us_per_task", found(cpuPerTask));
            result.put("jit_percent_of_cpu", fleet.processes().cpuTicks().compilerPercentSince(ticks));
            SchedulerSteps.Snapshot now = steps(fleet);
            result.put("scheduler_steps", now == null ? "not measured: add -Dbenchmark.scheduler=URL" : now.since(steps, tasks));
        }
    }

    /** Publishes {@code count} no-op tasks to {@code miminions.tasks.submit}; answers their ids. */
    private List<String> publishNoOps(int count) {
        List<String> ids = new ArrayList<>(count);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                String taskId = UUID.randomUUID().toString();
                ids.add(taskId);
                producer.send(new ProducerRecord<>(Topics.TASKS_SUBMIT, taskId,
                        Json.write(new TaskSubmission(taskId, "noop-" + i, Map.of(), null, null, null, null))));
            }
        }
        return ids;
    }

    /**
     * Before the workloads, not measured: rounds of {@value #WARM_UP_KAFKA_TASKS} no-op tasks by
     * Kafka and {@value #WARM_UP_REST_TASKS} by REST at W2's rate, on the agents W5 uses, until the
     * JIT compilers took less than {@value #WARM_UP_SETTLED_JIT_PERCENT} % of the fleet's CPU in a
     * round (at most {@value #WARM_UP_MAX_ROUNDS} rounds). The workloads then meet the services' code
     * compiled, as in a fleet that has been running, rather than their first minutes.
     */
    private void warmUp() {
        System.out.println("warming up …");
        try {
            results.put("warm_up", warmUpRounds());
        } catch (Exception e) {
            results.put("warm_up", Map.of("status", "FAILED: " + e));
        }
    }

    private Map<String, Object> warmUpRounds() throws Exception {
        startAgents(SEED_AGENTS);
        Instant began = Instant.now();
        List<Double> jitPercents = new ArrayList<>();
        do {
            FleetProcesses.CpuTicks before = fleet.processes().cpuTicks();
            List<String> ids = new ArrayList<>(publishNoOps(WARM_UP_KAFKA_TASKS));
            ids.addAll(submitAtLatencyRate(WARM_UP_REST_TASKS, "warm-up-").submitted().keySet());
            Map<String, Object> round = awaitAll(ids, Duration.ofSeconds(300));
            if (!"ok".equals(round.get("status"))) {
                throw new IllegalStateException("round " + (jitPercents.size() + 1) + ": " + round.get("status"));
            }
            jitPercents.add((double) fleet.processes().cpuTicks().compilerPercentSince(before).get("fleet"));
        } while (jitPercents.getLast() >= WARM_UP_SETTLED_JIT_PERCENT && jitPercents.size() < WARM_UP_MAX_ROUNDS);
        boolean settled = jitPercents.getLast() < WARM_UP_SETTLED_JIT_PERCENT;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", settled ? "ok" : "stopped after " + WARM_UP_MAX_ROUNDS + " rounds, the JIT still above "
                + WARM_UP_SETTLED_JIT_PERCENT + " % of the CPU");
        result.put("jit_percent_of_cpu_by_round", jitPercents);
        result.put("seconds", seconds(began, Instant.now()));
        return result;
    }

    /**
     * Seconds from the first submission until the last task passed each stage: accepted by
     * task-intake, queued by the scheduler, started by an agent host, ended. The stage whose time
     * jumps is the one that holds the fleet back.
     */
    private Map<String, Object> lastPassed(List<String> ids, Instant began) {
        Map<String, Object> stages = new LinkedHashMap<>();
        stages.put("accepted", seconds(began, latest(ids, events::acceptedAt)));
        stages.put("queued", seconds(began, latest(ids, events::queuedAt)));
        stages.put("started", seconds(began, latest(ids, events::startedAt)));
        stages.put("ended", seconds(began, lastEnd(ids)));
        return stages;
    }

    private static Instant latest(List<String> ids, Function<String, Instant> stage) {
        return ids.stream().map(stage).filter(Objects::nonNull).max(Instant::compareTo).orElse(Instant.now());
    }

    /**
     * W2: 1,000 tasks at 100/s to idle agents; submit → start and submit → complete, and the CPU time
     * each process spent per task meanwhile (each task alone, where W1 measures tasks in batches).
     */
    private Map<String, Object> latency() throws Exception {
        startAgents(AGENTS);
        Costs before = Costs.of(fleet);
        Paced paced = submitAtLatencyRate(1_000, "latency-");
        Map<String, Instant> submitted = paced.submitted();
        Map<String, Object> result = awaitAll(submitted.keySet(), Duration.ofSeconds(120));
        before.putSince(fleet, submitted.size(), result);
        result.put("submissions_refused", paced.refused().size());
        paced.refused().values().stream().findFirst().ifPresent(first -> result.put("first_refusal", first));
        List<Double> toStart = new ArrayList<>();
        List<Double> toComplete = new ArrayList<>();
        List<Double> toAccepted = new ArrayList<>();
        List<Double> acceptedToQueued = new ArrayList<>();
        List<Double> queuedToStarted = new ArrayList<>();
        submitted.forEach((taskId, at) -> {
            EventWatch.TaskTimes end = events.endOf(taskId);
            Instant accepted = events.acceptedAt(taskId);
            Instant queued = events.queuedAt(taskId);
            if (end != null && end.started() != null) {
                toStart.add(millis(at, end.started()));
                toComplete.add(millis(at, end.ended()));
            }
            if (end != null && end.started() != null && accepted != null && queued != null) {
                toAccepted.add(millis(at, accepted));
                acceptedToQueued.add(millis(accepted, queued));
                queuedToStarted.add(millis(queued, end.started()));
            }
        });
        result.put("submit_to_start", Percentiles.of(toStart).toMap());
        result.put("submit_to_complete", Percentiles.of(toComplete).toMap());
        // where the time to start goes: the stamps of TASK_SUBMITTED (task-intake) and TASK_QUEUED (scheduler)
        Map<String, Object> stages = new LinkedHashMap<>();
        stages.put("submit_to_accepted", Percentiles.round(Percentiles.of(toAccepted).p50()));
        stages.put("accepted_to_queued", Percentiles.round(Percentiles.of(acceptedToQueued).p50()));
        stages.put("queued_to_started", Percentiles.round(Percentiles.of(queuedToStarted).p50()));
        result.put("stages_p50_ms", stages);
        return result;
    }

    /** REST submissions of no-op tasks: when each was sent, by task id, and the refused ones with their errors. */
    private record Paced(Map<String, Instant> submitted, Map<String, String> refused) {
    }

    /** Submits {@code count} no-op tasks by REST at W2's rate, {@value #LATENCY_RATE_PER_S} per second, each from its own thread. */
    private Paced submitAtLatencyRate(int count, String namePrefix) {
        Map<String, Instant> submitted = new ConcurrentHashMap<>();
        Map<String, String> refused = new ConcurrentHashMap<>();
        long period = 1_000_000_000L / LATENCY_RATE_PER_S;
        long began = System.nanoTime();
        try (ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                // parked, not spinning: the benchmark shares the machine's two cores with the fleet
                long due = began + i * period;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                String name = namePrefix + i;
                submitters.execute(() -> {
                    String taskId = UUID.randomUUID().toString();
                    Instant at = Instant.now();
                    try {
                        runtime.submitTask(new TaskSubmission(taskId, name, Map.of(), null, null, null, null));
                        submitted.put(taskId, at);
                    } catch (RuntimeException e) {
                        refused.put(taskId, e.toString());
                    }
                });
            }
        }
        return new Paced(submitted, refused);
    }

    /** W3: 200 tasks, each depending on the one before; previous completed → next started. */
    private Map<String, Object> chain() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String taskId = UUID.randomUUID().toString();
            // The first task holds the chain until every task is submitted: a hop then never waits for a submission.
            Map<String, Object> input = i == 0 ? Map.of("sleepMs", CHAIN_HOLD.toMillis()) : Map.of();
            runtime.submitTask(new TaskSubmission(taskId, "chain-" + i, input, null, ids.isEmpty() ? null : List.of(ids.getLast()),
                    null, null));
            ids.add(taskId);
        }
        Instant allSubmitted = Instant.now();
        Map<String, Object> result = awaitAll(ids, Duration.ofSeconds(300));
        EventWatch.TaskTimes first = events.endOf(ids.getFirst());
        result.put("all_submitted_before_the_chain_moved", first != null && allSubmitted.isBefore(first.ended()));
        List<Double> hops = new ArrayList<>();
        for (int i = 1; i < ids.size(); i++) {
            EventWatch.TaskTimes previous = events.endOf(ids.get(i - 1));
            Instant next = events.startedAt(ids.get(i));
            if (previous != null && next != null) {
                hops.add(millis(previous.ended(), next));
            }
        }
        result.put("hop", Percentiles.of(hops).toMap());
        return result;
    }

    /**
     * W4: one agent busy, 1,000 tasks of random priorities queued behind it, then the busy task is
     * cancelled; inversions in the start order.
     */
    private Map<String, Object> priority() throws Exception {
        startAgents(AGENTS);
        String agentId = agents.getFirst();
        String blocker = runtime.submitTask(new TaskSubmission(null, "blocker", Map.of("sleepMs", 600_000), 0, null, null, agentId));
        while (events.startedAt(blocker) == null) {
            Thread.sleep(10);
        }
        Random random = new Random(42);
        Map<String, Integer> priorities = new LinkedHashMap<>();
        for (int i = 0; i < 1_000; i++) {
            int priority = random.nextInt(101);
            String taskId = runtime.submitTask(new TaskSubmission(null, "prio-" + i, Map.of(), priority, null, null, agentId));
            priorities.put(taskId, priority);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!priorities.keySet().stream().allMatch(events::isQueued) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long queuedBeforeRelease = priorities.keySet().stream().filter(events::isQueued).count();
        runtime.cancelTask(blocker);
        Map<String, Object> result = awaitAll(priorities.keySet(), Duration.ofSeconds(300));
        List<String> startOrder = priorities.keySet().stream()
                .filter(id -> events.startedAt(id) != null)
                .sorted((a, b) -> events.startedAt(a).compareTo(events.startedAt(b)))
                .toList();
        long inversions = 0;
        for (int i = 0; i < startOrder.size(); i++) {
            for (int j = i + 1; j < startOrder.size(); j++) {
                if (priorities.get(startOrder.get(i)) > priorities.get(startOrder.get(j))) {
                    inversions++;
                }
            }
        }
        result.put("queued_before_release", queuedBeforeRelease);
        result.put("inversions", inversions);
        return result;
    }

    private Map<String, Object> awaitAll(Collection<String> ids, Duration timeout) throws InterruptedException {
        int done = events.awaitEnded(ids, timeout);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", done == ids.size() ? "ok" : "FAILED: " + done + " of " + ids.size() + " tasks ended within " + timeout.toSeconds() + " s");
        result.put("tasks", ids.size());
        return result;
    }

    private Instant lastEnd(List<String> ids) {
        return ids.stream().map(events::endOf).filter(Objects::nonNull).map(EventWatch.TaskTimes::ended)
                .max(Instant::compareTo).orElse(Instant.now());
    }

    private static double seconds(Instant from, Instant to) {
        return Percentiles.round(Duration.between(from, to).toNanos() / 1e9);
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static void report(Map<String, Object> results) throws IOException {
        System.out.println("\n== miminions benchmark ==");
        results.forEach((name, value) -> System.out.printf("%-24s %s%n", name, value));
        Path out = Path.of("target", "benchmark-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        System.out.println("\nJSON: " + out.toAbsolutePath());
    }
}
