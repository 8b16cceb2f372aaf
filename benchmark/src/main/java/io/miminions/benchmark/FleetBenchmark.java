package io.miminions.benchmark;

import io.miminions.benchmark.agents.BenchmarkAgent;
import io.miminions.client.MiminionsClient;
import io.miminions.client.TaskOptions;
import io.miminions.localfleet.FleetInfrastructure;
import io.miminions.localfleet.LocalFleet;
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
 * {@link BenchmarkAgent}); {@code -Dbenchmark.full=true} adds the 200,000-task run of W1, and
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

    private final MiminionsClient runtime;
    private final String bootstrapServers;
    private final EventWatch events;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> agents = new ArrayList<>();

    private FleetBenchmark(URI intake, String bootstrapServers) {
        this.runtime = MiminionsClient.connect(intake);
        this.bootstrapServers = bootstrapServers;
        this.events = new EventWatch(bootstrapServers);
    }

    public static void main(String[] args) throws Exception {
        boolean full = Boolean.parseBoolean(System.getProperty("benchmark.full", "false"));
        Map<String, String> fleetSettings = Map.of(
                "miminions.agent-host.agent-jars",
                Path.of(System.getProperty("benchmark.agent-jars", "benchmark/target/agent-jars")).toAbsolutePath().toString(),
                "miminions.intake.max-task-queue-size", "250000");
        try (LocalFleet fleet = LocalFleet.start(fleetSettings)) {
            Map<String, Object> memoryAtIdle = FleetProcesses.residentMegabytes(fleet);
            Map<String, Object> cpuAtIdle = idleCpu(fleet);
            FleetBenchmark benchmark = new FleetBenchmark(fleet.intakeUri(), fleet.infrastructure().kafkaBootstrapServers());
            try {
                benchmark.results.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                        "java", Runtime.version().toString()));
                if (Boolean.parseBoolean(System.getProperty("benchmark.warm-up", "true"))) {
                    benchmark.warmUp(fleet);
                }
                benchmark.run("baseline_kafka", () -> new KafkaBaseline(fleet.infrastructure().kafkaBootstrapServers()).run(200_000, 1_000));
                benchmark.run("W5_seed_example_2", benchmark::seedExampleTwo);
                benchmark.startAgents(8);
                benchmark.run("W1_throughput_2000", () -> benchmark.throughput(fleet, 2_000));
                benchmark.run("W1_throughput_20000", () -> benchmark.throughput(fleet, 20_000));
                if (full) {
                    benchmark.run("W1_throughput_200000", () -> benchmark.throughput(fleet, 200_000));
                } else {
                    benchmark.results.put("W1_throughput_200000", Map.of("status", "not run: add -Dbenchmark.full=true"));
                }
                benchmark.results.put("memory_idle_rss_mb", memoryAtIdle);
                benchmark.results.put("cpu_idle_percent_of_one_core", cpuAtIdle);
                benchmark.results.put("memory_after_W1_rss_mb", FleetProcesses.residentMegabytes(fleet));
                benchmark.run("W2_latency", () -> benchmark.latency(fleet));
                benchmark.run("W3_chain", benchmark::chain);
                benchmark.run("W4_priority", benchmark::priority);
                benchmark.run("W6_messaging", () -> benchmark.messaging(fleet));
            } finally {
                benchmark.events.close();
            }
            benchmark.report(fleet.infrastructure());
        }
    }

    /** The share of one core each process of the idle fleet uses, over ten seconds. */
    private static Map<String, Object> idleCpu(LocalFleet fleet) throws InterruptedException {
        Map<String, Long> before = FleetProcesses.cpuMillis(fleet);
        Thread.sleep(IDLE_CPU_WINDOW.toMillis());
        Map<String, Object> percent = new LinkedHashMap<>();
        FleetProcesses.cpuMillis(fleet).forEach((process, millis) ->
                percent.put(process, Percentiles.round((millis - before.getOrDefault(process, 0L)) * 100.0 / IDLE_CPU_WINDOW.toMillis())));
        return percent;
    }

    private interface Workload {
        Map<String, Object> run() throws Exception;
    }

    private void run(String name, Workload workload) {
        String only = System.getProperty("benchmark.workloads", "");
        if (!only.isBlank() && Arrays.stream(only.split(",")).map(String::trim)
                .noneMatch(w -> name.equals(w) || name.startsWith(w + "_"))) {
            results.put(name, Map.of("status", "not run: not in -Dbenchmark.workloads=" + only));
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

    /**
     * W6: request/response between two agents on different agent hosts (a second host is added):
     * one agent sends {@value #ROUND_TRIPS} requests one after another and waits for each response;
     * the round trip's p50 and p99, without the first {@value #WARM_UP} (connections, JIT).
     */
    private Map<String, Object> messaging(LocalFleet fleet) throws Exception {
        fleet.addAgentHost(Map.of());
        String ping = startAgent("ping");
        String pingHost = runtime.getAgentStatus(ping).hostId();
        String pong = startAgent("pong");
        while (pingHost.equals(runtime.getAgentStatus(pong).hostId())) {
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

    private String startAgent(String name) {
        String agentId = runtime.registerAgent(name, AGENT_TYPE);
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
    private Map<String, Object> throughput(LocalFleet fleet, int count) throws Exception {
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

    /** What the fleet has spent so far: CPU time per process, its JIT compilers' share, the scheduler's steps. */
    private record Costs(Map<String, Long> cpuMillis, FleetProcesses.CpuTicks ticks, SchedulerSteps.Snapshot steps) {

        static Costs of(LocalFleet fleet) throws IOException, InterruptedException {
            return new Costs(FleetProcesses.cpuMillis(fleet), FleetProcesses.cpuTicks(fleet), SchedulerSteps.read(schedulerUri(fleet)));
        }

        /**
         * Puts into {@code result} what the fleet spent on {@code tasks} tasks since this sample: CPU time
         * per task of each process in microseconds ({@code cpu_us_per_task}), the JIT's share of it
         * ({@code jit_percent_of_cpu}) and the scheduler's steps ({@code scheduler_steps}).
         */
        void putSince(LocalFleet fleet, int tasks, Map<String, Object> result) throws IOException, InterruptedException {
            Map<String, Object> cpuPerTask = new LinkedHashMap<>();
            FleetProcesses.cpuMillis(fleet).forEach((process, millis) ->
                    cpuPerTask.put(process, Math.round((millis - cpuMillis.getOrDefault(process, 0L)) * 1000.0 / tasks)));
            result.put("cpu_us_per_task", cpuPerTask);
            result.put("jit_percent_of_cpu", FleetProcesses.cpuTicks(fleet).compilerPercentSince(ticks));
            result.put("scheduler_steps", SchedulerSteps.read(schedulerUri(fleet)).since(steps, tasks));
        }

        private static URI schedulerUri(LocalFleet fleet) {
            return fleet.service("scheduler").baseUri();
        }
    }

    /** Publishes {@code count} no-op tasks to {@code miminions.tasks.submit}; answers their ids. */
    private List<String> publishNoOps(int count) {
        List<String> ids = new ArrayList<>(count);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
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
    private void warmUp(LocalFleet fleet) {
        System.out.println("warming up …");
        try {
            results.put("warm_up", warmUpRounds(fleet));
        } catch (Exception e) {
            results.put("warm_up", Map.of("status", "FAILED: " + e));
        }
    }

    private Map<String, Object> warmUpRounds(LocalFleet fleet) throws Exception {
        startAgents(SEED_AGENTS);
        Instant began = Instant.now();
        List<Double> jitPercents = new ArrayList<>();
        do {
            FleetProcesses.CpuTicks before = FleetProcesses.cpuTicks(fleet);
            List<String> ids = new ArrayList<>(publishNoOps(WARM_UP_KAFKA_TASKS));
            ids.addAll(submitAtLatencyRate(WARM_UP_REST_TASKS, "warm-up-").submitted().keySet());
            Map<String, Object> round = awaitAll(ids, Duration.ofSeconds(300));
            if (!"ok".equals(round.get("status"))) {
                throw new IllegalStateException("round " + (jitPercents.size() + 1) + ": " + round.get("status"));
            }
            jitPercents.add((double) FleetProcesses.cpuTicks(fleet).compilerPercentSince(before).get("fleet"));
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
    private Map<String, Object> latency(LocalFleet fleet) throws Exception {
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

    private void report(FleetInfrastructure infrastructure) throws IOException {
        System.out.println("\n== miminions benchmark ==");
        results.forEach((name, value) -> System.out.printf("%-24s %s%n", name, value));
        Path out = Path.of("target", "benchmark-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        System.out.println("\nJSON: " + out.toAbsolutePath() + "  (broker " + infrastructure.kafkaBootstrapServers() + ")");
    }
}
