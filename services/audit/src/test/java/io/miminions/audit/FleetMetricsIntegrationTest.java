package io.miminions.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Priorities;
import io.miminions.model.Topics;
import io.miminions.model.api.FleetMetrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The fleet metrics against the events they come from: a known set of agent and task lives is
 * produced to miminions.events, and the metrics must move by what that set implies and equal what a
 * plain reading of the whole event log (the export) gives.
 */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class FleetMetricsIntegrationTest {

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\""
                    + "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\")*})? (\\S+)");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final String run = UUID.randomUUID().toString();
    private final Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final List<Event> produced = new ArrayList<>();

    @Test
    void metricsMoveByWhatTheEventsSayAndAgreeWithTheWholeLog() {
        FleetMetrics before = metrics();

        produceKnownLives();

        FleetMetrics after = metrics();
        assertThat(after.runningAgents() - before.runningAgents()).isEqualTo(2);
        assertThat(after.completedTasks() - before.completedTasks()).isEqualTo(7);
        assertThat(after.failedTasks() - before.failedTasks()).isEqualTo(2);
        Map<Integer, Long> queuedMore = new HashMap<>();
        after.queueDepthByPriorityBand().forEach((band, depth) ->
                queuedMore.put(band, depth - before.queueDepthByPriorityBand().get(band)));
        assertThat(queuedMore).containsEntry(0, 1L).containsEntry(5, 1L).containsEntry(9, 1L)
                .containsEntry(1, 0L).containsEntry(2, 0L).hasSize(Priorities.BANDS);
        assertThat(after.uptimeSeconds()).isGreaterThan(before.uptimeSeconds());

        FleetMetrics fromTheLog = LogReading.of(export(FleetStateRules.AGENT_LIFECYCLE), export(FleetStateRules.TASK_PROGRESS));
        assertThat(after.runningAgents()).isEqualTo(fromTheLog.runningAgents());
        assertThat(after.completedTasks()).isEqualTo(fromTheLog.completedTasks());
        assertThat(after.failedTasks()).isEqualTo(fromTheLog.failedTasks());
        assertThat(after.avgTaskDurationSeconds()).isCloseTo(fromTheLog.avgTaskDurationSeconds(), within(1e-9));
        assertThat(after.p95TaskDurationSeconds()).isEqualTo(fromTheLog.p95TaskDurationSeconds());
        assertThat(after.queueDepthByPriorityBand()).isEqualTo(fromTheLog.queueDepthByPriorityBand());
        assertThat(after.p95TaskDurationSeconds()).isPositive();
    }

    @Test
    void thePrometheusTextParsesAndSaysWhatTheJsonSays() {
        FleetMetrics json = metrics();
        String text = given().when().get("/metrics/fleet/prometheus")
                .then().statusCode(200)
                .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .extract().asString();

        Map<String, Double> samples = new LinkedHashMap<>();
        List<String> typed = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher comment = COMMENT.matcher(line);
                assertThat(comment.matches()).as("comment line '%s'", line).isTrue();
                if (comment.group(1).equals("TYPE")) {
                    typed.add(comment.group(2));
                }
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("sample line '%s' is name{labels} value", line).isTrue();
            assertThat(typed).as("a TYPE line precedes '%s'", line).contains(sample.group(1));
            samples.put(sample.group(1) + (sample.group(2) == null ? "" : sample.group(2)), Double.parseDouble(sample.group(3)));
        }
        assertThat(text).endsWith("\n");

        assertThat(samples.get("miminions_fleet_uptime_seconds")).isPositive();
        assertThat(samples.get("miminions_fleet_running_agents")).isEqualTo((double) json.runningAgents());
        assertThat(samples.get("miminions_fleet_completed_tasks")).isEqualTo((double) json.completedTasks());
        assertThat(samples.get("miminions_fleet_failed_tasks")).isEqualTo((double) json.failedTasks());
        assertThat(samples.get("miminions_fleet_avg_task_duration_seconds")).isEqualTo(json.avgTaskDurationSeconds());
        assertThat(samples.get("miminions_fleet_p95_task_duration_seconds")).isEqualTo(json.p95TaskDurationSeconds());
        for (int band = 0; band < Priorities.BANDS; band++) {
            assertThat(samples.get("miminions_fleet_queue_depth{priority_band=\"" + band + "\"}"))
                    .isEqualTo((double) json.queueDepthByPriorityBand().get(band));
        }
    }

    @Test
    void theServiceKeepsItsOwnMeters() {
        String meters = given().when().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(meters).contains("miminions_audit_events_stored_total", "miminions_audit_events_exported_total",
                "miminions_audit_partitions_dropped_total");
    }

    /**
     * Agents: two end running (started; resumed), four do not (paused, stopped, failed, and one whose
     * STOPPED arrives first but is the later). Tasks: seven complete (one without durationMs, one
     * whose late TASK_QUEUED must not revive it), two fail (failed, timed out), one is cancelled,
     * three stay queued in bands 0, 5 and 9, one is assigned.
     */
    private void produceKnownLives() {
        agent("running-1", EventType.AGENT_REGISTERED, EventType.AGENT_STARTED);
        agent("paused", EventType.AGENT_STARTED, EventType.AGENT_PAUSED);
        agent("running-2", EventType.AGENT_STARTED, EventType.AGENT_PAUSED, EventType.AGENT_RESUMED);
        agent("stopped", EventType.AGENT_STARTED, EventType.AGENT_STOPPED);
        agent("failed", EventType.AGENT_STARTED, EventType.AGENT_FAILED);
        String late = "agent-late-" + run;
        emit(EventType.AGENT_STOPPED, late, null, t.plusMillis(10), Map.of());
        emit(EventType.AGENT_STARTED, late, null, t.plusMillis(5), Map.of());

        long[] durations = {100, 200, 300, 400, 1000};
        for (long duration : durations) {
            task("completed-" + duration, 50, Map.of("durationMs", duration), EventType.TASK_SUBMITTED, EventType.TASK_QUEUED,
                    EventType.TASK_ASSIGNED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
        }
        String timed = "task-timed-" + run;
        emit(EventType.TASK_QUEUED, null, timed, t, Map.of("priority", 50));
        emit(EventType.TASK_STARTED, null, timed, t.plusMillis(1), Map.of());
        emit(EventType.TASK_COMPLETED, null, timed, t.plusMillis(251), Map.of());
        String skewed = "task-skewed-" + run;
        emit(EventType.TASK_COMPLETED, null, skewed, t.plusMillis(5), Map.of("durationMs", 50));
        emit(EventType.TASK_QUEUED, null, skewed, t.plusMillis(10), Map.of("priority", 50));

        task("failed", 50, Map.of(), EventType.TASK_QUEUED, EventType.TASK_ASSIGNED, EventType.TASK_STARTED,
                EventType.TASK_FAILED);
        task("timed-out", 50, Map.of(), EventType.TASK_QUEUED, EventType.TASK_TIMED_OUT);
        task("cancelled", 50, Map.of(), EventType.TASK_QUEUED, EventType.TASK_CANCELLED);
        task("queued-0", 3, Map.of(), EventType.TASK_SUBMITTED, EventType.TASK_QUEUED);
        task("queued-5", 55, Map.of(), EventType.TASK_QUEUED);
        task("queued-9", 100, Map.of(), EventType.TASK_QUEUED);
        task("assigned", 20, Map.of(), EventType.TASK_QUEUED, EventType.TASK_ASSIGNED);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(), new StringSerializer())) {
            for (Event event : produced) {
                ProducerRecord<String, String> record = new ProducerRecord<>(Topics.EVENTS, event.key(), Json.write(event));
                record.headers().add(Topics.ID_HEADER, event.eventId().getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pool
                .preparedQuery("SELECT count(*) FROM audit.events WHERE correlation_id = $1").execute(Tuple.of(run))
                .await().indefinitely().iterator().next().getLong(0) == produced.size());
    }

    private void agent(String name, EventType... lifecycle) {
        String agentId = "agent-" + name + "-" + run;
        for (int i = 0; i < lifecycle.length; i++) {
            emit(lifecycle[i], agentId, null, t.plusMillis(i), Map.of());
        }
    }

    private void task(String name, int priority, Map<String, Object> outcome, EventType... progress) {
        String taskId = "task-" + name + "-" + run;
        for (int i = 0; i < progress.length; i++) {
            EventType type = progress[i];
            Map<String, Object> data = switch (type) {
                case TASK_SUBMITTED, TASK_QUEUED -> Map.of("priority", priority);
                case TASK_COMPLETED -> outcome;
                default -> Map.of();
            };
            emit(type, type == EventType.TASK_QUEUED ? null : "agent-worker-" + run, taskId, t.plusMillis(i), data);
        }
    }

    private void emit(EventType type, String agentId, String taskId, Instant time, Map<String, Object> data) {
        produced.add(new Event(UUID.randomUUID().toString(), type, type.defaultSeverity(), time, "test", agentId, taskId, run,
                data));
    }

    private static FleetMetrics metrics() {
        return Json.read(given().when().get("/metrics/fleet").then().statusCode(200).extract().asString(), FleetMetrics.class);
    }

    /** Every stored event of these types, oldest first, from the export. */
    private static List<Event> export(java.util.Set<EventType> types) {
        var request = given().queryParam("order", "asc");
        for (EventType type : types) {
            request = request.queryParam("type", type.name());
        }
        String body = request.when().get("/events/export").then().statusCode(200).extract().asString();
        return body.lines().map(line -> Json.read(line, Event.class)).toList();
    }

    /** The metrics as a reader of the event log works them out, with nothing but the events in hand. */
    private static final class LogReading {

        private record TaskState(EventType state, Integer priority, Instant time, Long durationMs, Instant startedAt) {
        }

        static FleetMetrics of(List<Event> lifecycle, List<Event> progress) {
            Map<String, EventType> agents = new HashMap<>();
            lifecycle.forEach(e -> agents.put(e.agentId(), e.type())); // oldest first: the last one stays
            long running = agents.values().stream()
                    .filter(type -> type == EventType.AGENT_STARTED || type == EventType.AGENT_RESUMED).count();

            Map<String, TaskState> tasks = new HashMap<>();
            for (Event e : progress) {
                TaskState current = tasks.get(e.taskId());
                Instant startedAt = current == null ? null : current.startedAt();
                if (e.type() == EventType.TASK_STARTED && (startedAt == null || e.time().isAfter(startedAt))) {
                    startedAt = e.time();
                }
                Integer priority = e.data().get("priority") instanceof Number n ? n.intValue() : null;
                Long duration = e.type() == EventType.TASK_COMPLETED && e.data().get("durationMs") instanceof Number n
                        ? n.longValue() : null;
                if (current != null && current.state().endsTask()) {
                    tasks.put(e.taskId(), new TaskState(current.state(), current.priority(), current.time(),
                            current.durationMs(), startedAt));
                } else {
                    tasks.put(e.taskId(), new TaskState(e.type(),
                            priority != null ? priority : current == null ? null : current.priority(), e.time(), duration,
                            startedAt));
                }
            }
            List<Long> durations = new ArrayList<>();
            long completed = 0;
            long failed = 0;
            Map<Integer, Long> queued = new HashMap<>();
            for (int band = 0; band < Priorities.BANDS; band++) {
                queued.put(band, 0L);
            }
            for (TaskState task : tasks.values()) {
                switch (task.state()) {
                    case TASK_COMPLETED -> {
                        completed++;
                        Long duration = task.durationMs() != null ? task.durationMs()
                                : task.startedAt() == null ? null
                                : Math.round(Duration.between(task.startedAt(), task.time()).toNanos() / 1e6);
                        if (duration != null) {
                            durations.add(duration);
                        }
                    }
                    case TASK_FAILED, TASK_TIMED_OUT -> failed++;
                    case TASK_QUEUED -> queued.merge(Priorities.partitionOf(
                            task.priority() == null ? Priorities.DEFAULT : task.priority()), 1L, Long::sum);
                    default -> {
                    }
                }
            }
            durations.sort(null);
            double avg = durations.stream().mapToLong(Long::longValue).average().orElse(0) / 1000.0;
            double p95 = durations.isEmpty() ? 0 : durations.get((int) Math.ceil(0.95 * durations.size()) - 1) / 1000.0;
            return new FleetMetrics(0, running, completed, failed, avg, p95, queued);
        }
    }
}
