package io.miminions.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.miminions.audit.metrics.AuditMetrics;
import io.miminions.audit.repository.EventPartitions;
import io.miminions.audit.repository.EventRepository;
import io.miminions.audit.rest.EventResource;
import io.miminions.audit.service.PartitionMaintenance;
import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Severity;
import io.miminions.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The store against a real broker and database: events produced to miminions.events, the rows they
 * become, queries and pages over them, and the retention.
 */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FirstLayoutTestResource.class, restrictToAnnotatedClass = false)
class EventStoreIntegrationTest {

    private static final Duration STORED_WITHIN = Duration.ofSeconds(30);

    /** Times as PostgreSQL keeps them (microseconds), so that what is read back equals what was sent. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS);

    /**
     * The known set of the filter tests, a day back so that no other test's events fall in its window
     * [KNOWN_BASE, KNOWN_BASE + 1 s); see {@link #knownSet()}.
     */
    private static final Instant KNOWN_BASE = T0.minus(Duration.ofDays(1));
    private static final String AGENT_A = "agent-a-" + UUID.randomUUID();
    private static final String AGENT_B = "agent-b-" + UUID.randomUUID();
    private static final String TASK_X = "task-x-" + UUID.randomUUID();
    private static final String TASK_Y = "task-y-" + UUID.randomUUID();
    private static final String CORR_1 = "corr-1-" + UUID.randomUUID();
    private static final String CORR_2 = "corr-2-" + UUID.randomUUID();

    private static List<Event> knownSet;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @Inject
    EventRepository repository;

    @Inject
    EventPartitions partitions;

    @Inject
    PartitionMaintenance maintenance;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    // ---- storing ----

    @Test
    void storesEveryEventExactlyOnceAndSkipsAnInvalidRecord() {
        String taskId = "task-" + UUID.randomUUID();
        Event submitted = event(EventType.TASK_SUBMITTED, taskId, null, T0, Map.of("name", "once"));
        Event queued = event(EventType.TASK_QUEUED, taskId, null, T0.plusMillis(1), Map.of("priority", 5));
        double submittedBefore = storedCount(EventType.TASK_SUBMITTED);
        double queuedBefore = storedCount(EventType.TASK_QUEUED);
        double invalidBefore = registry.get(AuditMetrics.INVALID).counter().count();

        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.EVENTS, taskId, "this is not an event"));
            send(producer, submitted);
            send(producer, submitted); // redelivered
            send(producer, queued);
        }

        await().atMost(STORED_WITHIN).untilAsserted(() -> assertThat(rowsOfTask(taskId)).hasSize(2));
        List<Row> rows = rowsOfTask(taskId);
        assertThat(rows).extracting(row -> row.getString("event_id")).containsExactly(submitted.eventId(), queued.eventId());
        assertThat(rows.get(0).getLong("seq")).isLessThan(rows.get(1).getLong("seq"));
        Row first = rows.get(0);
        assertThat(first.getString("type")).isEqualTo("TASK_SUBMITTED");
        assertThat(first.getString("severity")).isEqualTo("INFO");
        assertThat(first.getOffsetDateTime("time").toInstant()).isEqualTo(T0);
        assertThat(first.getString("source")).isEqualTo("task-intake");
        assertThat(first.getString("task_id")).isEqualTo(taskId);
        assertThat(first.getString("agent_id")).isNull();
        assertThat(first.getString("correlation_id")).isEqualTo("corr-" + taskId);
        assertThat(first.getJsonObject("data").getMap()).isEqualTo(Map.of("name", "once"));

        assertThat(storedCount(EventType.TASK_SUBMITTED) - submittedBefore).isEqualTo(1.0);
        assertThat(storedCount(EventType.TASK_QUEUED) - queuedBefore).isEqualTo(1.0);
        assertThat(registry.get(AuditMetrics.INVALID).counter().count() - invalidBefore).isEqualTo(1.0);
    }

    @Test
    void keepsTheTraceIdOfEachRecordsTraceparent() {
        String taskId = "task-" + UUID.randomUUID();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Event traced = event(EventType.TASK_SUBMITTED, taskId, null, T0, Map.of());
        Event untraced = event(EventType.TASK_QUEUED, taskId, null, T0.plusMillis(1), Map.of());

        try (KafkaProducer<String, String> producer = producer()) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.EVENTS, taskId, Json.write(traced));
            record.headers().add("traceparent", ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
            producer.send(record);
            send(producer, untraced);
        }

        await().atMost(STORED_WITHIN).untilAsserted(() -> assertThat(rowsOfTask(taskId)).hasSize(2));
        assertThat(rowsOfTask(taskId)).extracting(row -> row.getString("trace_id")).containsExactly(traceId, null);
    }

    /**
     * An event delivered again with another time (task-intake names a rejection after the record it
     * rejects, and stamps it when it reads it) lands in another partition: the id is still stored once.
     */
    @Test
    void anEventIdIsStoredOnceEvenWhenItsTimeDiffersAcrossPartitions() {
        String taskId = "task-" + UUID.randomUUID();
        Event rejected = event(EventType.TASK_REJECTED, taskId, null, T0, Map.of("reason", "first reading"));
        Event againTomorrow = new Event(rejected.eventId(), rejected.type(), rejected.severity(), T0.plus(Duration.ofDays(1)),
                rejected.source(), null, taskId, rejected.correlationId(), Map.of("reason", "second reading"));
        Event marker = event(EventType.TASK_SUBMITTED, taskId, null, T0.plusMillis(5), Map.of());

        try (KafkaProducer<String, String> producer = producer()) {
            send(producer, rejected);
            send(producer, againTomorrow);
            send(producer, marker); // same key, same partition: stored after the two above were handled
        }

        await().atMost(STORED_WITHIN).untilAsserted(() -> assertThat(rowsOfTask(taskId)).hasSize(2));
        assertThat(rowsOfTask(taskId)).extracting(row -> row.getJsonObject("data").getString("reason"))
                .containsExactly("first reading", null);
        assertThat(count("SELECT count(*) FROM audit.event_ids WHERE event_id = $1", rejected.eventId())).isEqualTo(1);
    }

    @Test
    void anEventOfADayWithoutPartitionCreatesIt() {
        Instant nextMonth = T0.plus(Duration.ofDays(31));
        LocalDate day = RetentionPolicy.dayOf(nextMonth);
        assertThat(partitionExists(day)).isFalse();
        String taskId = "task-" + UUID.randomUUID();

        try (KafkaProducer<String, String> producer = producer()) {
            send(producer, event(EventType.TASK_SUBMITTED, taskId, null, nextMonth, Map.of()));
        }

        await().atMost(STORED_WITHIN).untilAsserted(() -> assertThat(rowsOfTask(taskId)).hasSize(1));
        assertThat(partitionExists(day)).isTrue();
        assertThat(count("SELECT count(*) FROM audit." + EventPartitions.tableOf(day) + " WHERE task_id = $1", taskId))
                .isEqualTo(1);
    }

    @Test
    void copiedTheEventsOfTheFirstLayoutAndDroppedItsTable() {
        assertThat(rowsOfTask(FirstLayoutTestResource.TASK_ID)).extracting(row -> row.getString("event_id"))
                .containsExactlyElementsOf(FirstLayoutTestResource.EVENT_IDS);
        assertThat(count("SELECT count(*) FROM audit.event_ids WHERE event_id = ANY($1)",
                (Object) FirstLayoutTestResource.EVENT_IDS.toArray(String[]::new))).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM audit.task_states WHERE task_id = $1 AND state = 'TASK_ASSIGNED' AND priority = 7",
                FirstLayoutTestResource.TASK_ID)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = 'audit' AND c.relname = 'events_unpartitioned'")).isZero();
        assertThat(count("SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'audit.events'::regclass")).isEqualTo(1);
    }

    // ---- the retention ----

    @Test
    void theRetentionDropsWholeOldPartitionsAndForgetsWhatWasInThem() {
        LocalDate today = RetentionPolicy.dayOf(Instant.now());
        LocalDate expiredDay = today.minusDays(40);
        LocalDate keptDay = today.minusDays(29);
        Instant expired = RetentionPolicy.startOf(expiredDay).plus(Duration.ofHours(12));
        Instant kept = RetentionPolicy.startOf(keptDay).plus(Duration.ofHours(12));
        String oldTask = "task-" + UUID.randomUUID();
        String keptTask = "task-" + UUID.randomUUID();
        String stoppedAgent = "agent-" + UUID.randomUUID();
        String runningAgent = "agent-" + UUID.randomUUID();
        Event oldCompleted = event(EventType.TASK_COMPLETED, oldTask, null, expired, Map.of("durationMs", 5));
        Event keptCompleted = event(EventType.TASK_COMPLETED, keptTask, null, kept, Map.of("durationMs", 5));
        // stored directly, as if before the retention passed them by: the service no longer takes such events
        repository.append(Stream.of(oldCompleted, keptCompleted,
                event(EventType.AGENT_STOPPED, null, stoppedAgent, expired, Map.of()),
                event(EventType.AGENT_STARTED, null, runningAgent, expired, Map.of())).map(ConsumedEvent::untraced).toList())
                .await().indefinitely();
        assertThat(partitionExists(expiredDay)).isTrue();
        double droppedBefore = registry.get(AuditMetrics.PARTITIONS_DROPPED).counter().count();

        List<LocalDate> dropped = maintenance.run(Instant.now()).await().indefinitely();

        assertThat(dropped).contains(expiredDay).doesNotContain(keptDay);
        assertThat(partitionExists(expiredDay)).isFalse();
        assertThat(partitionExists(keptDay)).isTrue();
        assertThat(registry.get(AuditMetrics.PARTITIONS_DROPPED).counter().count() - droppedBefore).isGreaterThanOrEqualTo(1.0);
        assertThat(rowsOfTask(oldTask)).isEmpty();
        assertThat(rowsOfTask(keptTask)).hasSize(1);
        assertThat(count("SELECT count(*) FROM audit.event_ids WHERE event_id = $1", oldCompleted.eventId())).isZero();
        assertThat(count("SELECT count(*) FROM audit.event_ids WHERE event_id = $1", keptCompleted.eventId())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit.task_states WHERE task_id = $1", oldTask)).isZero();
        assertThat(count("SELECT count(*) FROM audit.task_states WHERE task_id = $1", keptTask)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit.agent_states WHERE agent_id = $1", stoppedAgent)).isZero();
        // a running agent is still running, however old its start
        assertThat(count("SELECT count(*) FROM audit.agent_states WHERE agent_id = $1", runningAgent)).isEqualTo(1);
        // ... until it stops, so that the fleet metrics agree with the events kept
        repository.append(List.of(ConsumedEvent.untraced(event(EventType.AGENT_STOPPED, null, runningAgent, T0, Map.of()))))
                .await().indefinitely();

        // an event older than the retention that arrives now is not stored (its day would be dropped again)
        String lateTask = "task-" + UUID.randomUUID();
        double expiredBefore = registry.get(AuditMetrics.EXPIRED).counter().count();
        try (KafkaProducer<String, String> producer = producer()) {
            send(producer, event(EventType.TASK_SUBMITTED, lateTask, null, expired, Map.of()));
            send(producer, event(EventType.TASK_QUEUED, lateTask, null, T0, Map.of("priority", 1)));
        }
        await().atMost(STORED_WITHIN).untilAsserted(() -> assertThat(rowsOfTask(lateTask)).hasSize(1));
        assertThat(rowsOfTask(lateTask).getFirst().getString("type")).isEqualTo("TASK_QUEUED");
        assertThat(registry.get(AuditMetrics.EXPIRED).counter().count() - expiredBefore).isEqualTo(1.0);
        assertThat(partitionExists(expiredDay)).isFalse();
        // the queued task counts in the queue depth until it ends
        repository.append(List.of(ConsumedEvent.untraced(event(EventType.TASK_CANCELLED, lateTask, null, T0.plusMillis(1), Map.of()))))
                .await().indefinitely();
    }

    // ---- every filter against a known set ----

    @Test
    void answersTheWireFormOfEvents() {
        List<Event> known = knownSet();

        String body = given().queryParam("correlationId", CORR_1).queryParam("order", "asc")
                .when().get("/events")
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().asString();

        JsonNode expected = Json.tree(Json.writeBytes(known.subList(0, 5)));
        assertThat(Json.tree(body.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }

    @Test
    void ordersByTimeThenArrivalInBothOrders() {
        List<Event> known = knownSet();

        assertThat(findKnown("order", "asc")).isEqualTo(known);
        assertThat(findKnown("order", "desc")).isEqualTo(known.reversed());
        assertThat(findKnown()).isEqualTo(known.reversed());
    }

    @Test
    void filtersByType() {
        List<Event> known = knownSet();

        assertThat(findKnown("type", "TASK_SUBMITTED", "order", "asc")).containsExactly(known.get(0), known.get(5));
        assertThat(findKnown("type", "TASK_FAILED", "type", "agent_failed", "order", "asc"))
                .containsExactly(known.get(4), known.get(7));
    }

    @Test
    void filtersBySeverityExactlyOrAtLeast() {
        List<Event> known = knownSet();

        assertThat(findKnown("severity", "ERROR", "order", "asc")).containsExactly(known.get(4), known.get(8));
        assertThat(findKnown("severity", "WARNING", "severity", "CRITICAL", "order", "asc"))
                .containsExactly(known.get(6), known.get(7));
        assertThat(findKnown("minSeverity", "ERROR", "order", "asc")).containsExactly(known.get(4), known.get(7), known.get(8));
        assertThat(findKnown("minSeverity", "warning", "order", "asc"))
                .containsExactly(known.get(4), known.get(6), known.get(7), known.get(8));
        assertThat(findKnown("minSeverity", "DEBUG", "order", "asc")).isEqualTo(known);
    }

    @Test
    void filtersByAgentTaskAndCorrelation() {
        List<Event> known = knownSet();

        assertThat(findKnown("agentId", AGENT_A, "order", "asc")).isEqualTo(known.subList(2, 5));
        assertThat(findKnown("taskId", TASK_Y, "order", "asc")).isEqualTo(known.subList(5, 7));
        assertThat(findKnown("correlationId", CORR_1, "order", "asc")).isEqualTo(known.subList(0, 5));
        assertThat(findKnown("correlationId", CORR_2, "minSeverity", "WARNING")).containsExactly(known.get(6));
        assertThat(findKnown("agentId", "nobody")).isEmpty();
    }

    @Test
    void filtersByTime() {
        List<Event> known = knownSet();

        assertThat(find("since", KNOWN_BASE.plusMillis(2).toString(), "until", KNOWN_BASE.plusMillis(5).toString(),
                "order", "asc")).isEqualTo(known.subList(2, 5));
        // since is inclusive, until exclusive, and the two events sharing a time come together
        assertThat(find("since", KNOWN_BASE.plusMillis(7).toString(), "until", KNOWN_BASE.plusMillis(8).toString(),
                "order", "asc")).isEqualTo(known.subList(7, 9));
    }

    @Test
    void limitsTheAnswer() {
        List<Event> known = knownSet();

        assertThat(findKnown("limit", "3")).containsExactly(known.get(8), known.get(7), known.get(6));
        assertThat(findKnown("limit", "2", "order", "asc")).containsExactly(known.get(0), known.get(1));
    }

    @Test
    void answersProblemDetailsForAnInvalidParameter() {
        given().queryParam("type", "TASK_EXPLODED")
                .when().get("/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", is("about:blank"))
                .body("title", is("Bad Request"))
                .body("status", is(400))
                .body("detail", containsString("unknown type 'TASK_EXPLODED'"));

        given().queryParam("limit", "10001")
                .when().get("/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", is("limit 10001 is outside 1..10000"));

        given().queryParam("minSeverity", "LOUD")
                .when().get("/events/export")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("unknown minSeverity 'LOUD'"));
    }

    // ---- pages ----

    /**
     * 300 events are stored, then paged through 25 at a time while more events with the same
     * correlation id keep arriving, with times before, among and after them: every one of the 300 is
     * answered exactly once, in order, and no event twice.
     */
    @Test
    void pagesAnswerEveryEventOnceWhileNewEventsKeepArriving() throws Exception {
        String correlationId = "paging-" + UUID.randomUUID();
        Instant base = T0.minus(Duration.ofHours(1));
        List<Event> stored = IntStream.range(0, 300)
                .mapToObj(i -> correlated(correlationId, "task-" + (i % 7) + "-" + correlationId, base.plusMillis(i)))
                .toList();
        try (KafkaProducer<String, String> producer = producer()) {
            stored.forEach(e -> send(producer, e));
        }
        await().atMost(STORED_WITHIN).until(() -> countCorrelated(correlationId) == stored.size());

        AtomicBoolean paging = new AtomicBoolean(true);
        AtomicInteger arrived = new AtomicInteger();
        Thread newcomers = Thread.ofVirtual().start(() -> {
            Random random = new Random(7);
            try (KafkaProducer<String, String> producer = producer()) {
                while (paging.get()) {
                    Instant time = base.plusMillis(random.nextInt(-50, 400)).plusNanos(random.nextInt(1000) * 1000L);
                    send(producer, correlated(correlationId, "task-late-" + random.nextInt(5), time));
                    producer.flush();
                    arrived.incrementAndGet();
                }
            }
        });
        try {
            for (String order : List.of("asc", "desc")) {
                List<Event> paged = pageThrough(correlationId, order, 25);
                List<String> ids = paged.stream().map(Event::eventId).toList();
                assertThat(new HashSet<>(ids)).as("no event twice (%s)", order).hasSize(ids.size());
                assertThat(ids).as("every stored event (%s)", order)
                        .containsAll(stored.stream().map(Event::eventId).toList());
                List<Event> expectedOrder = new ArrayList<>(paged);
                expectedOrder.sort((a, b) -> order.equals("asc") ? a.time().compareTo(b.time()) : b.time().compareTo(a.time()));
                assertThat(paged.stream().map(Event::time).toList()).as("in order (%s)", order)
                        .isEqualTo(expectedOrder.stream().map(Event::time).toList());
            }
        } finally {
            paging.set(false);
            newcomers.join();
        }
        assertThat(arrived.get()).as("events arrived while paging").isPositive();
    }

    @Test
    void theNextPageIsLinkedAndTheLastPageHasNoCursor() {
        List<Event> known = knownSet();

        Response first = given().queryParam("since", KNOWN_BASE.toString())
                .queryParam("until", KNOWN_BASE.plusSeconds(1).toString())
                .queryParam("limit", "5").queryParam("order", "asc")
                .when().get("/events");
        first.then().statusCode(200);
        String cursor = first.header(EventResource.NEXT_CURSOR);
        String link = first.header("Link");
        assertThat(cursor).isNotBlank();
        assertThat(link).startsWith("<").endsWith(">; rel=\"next\"").contains("cursor=" + cursor).contains("limit=5");
        String next = link.substring(1, link.indexOf('>'));

        Response second = given().urlEncodingEnabled(false).when().get(next);
        second.then().statusCode(200);
        assertThat(List.of(Json.read(first.asString(), Event[].class))).isEqualTo(known.subList(0, 5));
        assertThat(List.of(Json.read(second.asString(), Event[].class))).isEqualTo(known.subList(5, 9));
        assertThat(second.header(EventResource.NEXT_CURSOR)).isNull();
        assertThat(second.header("Link")).isNull();

        // a cursor with other filters is refused
        given().queryParam("since", KNOWN_BASE.toString()).queryParam("limit", "5").queryParam("order", "asc")
                .queryParam("cursor", cursor)
                .when().get("/events")
                .then().statusCode(400).body("detail", containsString("belongs to another query"));
    }

    @Test
    void isReadyWithKafkaAndPostgres() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems(
                        containsString("Reactive PostgreSQL"),
                        containsString("Reactive Messaging"),
                        is("kafka")));
    }

    @Test
    void exposesConsumerLagOfTheEventsChannelOnTheMetricsEndpoint() {
        await().atMost(STORED_WITHIN).untilAsserted(() -> given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("kafka_consumer_fetch_manager_records_lag_max"))
                .body(containsString("miminions_audit_events_stored_total")));
    }

    /**
     * Two tasks, two agents and two correlation ids, a millisecond apart but the last two, which share
     * a time (and a key, so that they arrive in order):
     * <ol start="0">
     *   <li>TASK_SUBMITTED x, c1</li> <li>TASK_QUEUED x, c1</li> <li>TASK_ASSIGNED x, agent a, c1</li>
     *   <li>TASK_STARTED x, agent a, c1</li> <li>TASK_FAILED x, agent a, ERROR, c1</li>
     *   <li>TASK_SUBMITTED y, c2</li> <li>TASK_CANCELLED y, agent b, WARNING, c2</li>
     *   <li>AGENT_FAILED agent b, CRITICAL</li> <li>SERVICE_ERROR (keyed by agent b), ERROR</li>
     * </ol>
     */
    private synchronized List<Event> knownSet() {
        if (knownSet == null) {
            Instant t = KNOWN_BASE;
            List<Event> events = List.of(
                    known(EventType.TASK_SUBMITTED, Severity.INFO, t, null, TASK_X, CORR_1),
                    known(EventType.TASK_QUEUED, Severity.INFO, t.plusMillis(1), null, TASK_X, CORR_1),
                    known(EventType.TASK_ASSIGNED, Severity.INFO, t.plusMillis(2), AGENT_A, TASK_X, CORR_1),
                    known(EventType.TASK_STARTED, Severity.INFO, t.plusMillis(3), AGENT_A, TASK_X, CORR_1),
                    known(EventType.TASK_FAILED, Severity.ERROR, t.plusMillis(4), AGENT_A, TASK_X, CORR_1),
                    known(EventType.TASK_SUBMITTED, Severity.INFO, t.plusMillis(5), null, TASK_Y, CORR_2),
                    known(EventType.TASK_CANCELLED, Severity.WARNING, t.plusMillis(6), AGENT_B, TASK_Y, CORR_2),
                    known(EventType.AGENT_FAILED, Severity.CRITICAL, t.plusMillis(7), AGENT_B, null, null),
                    known(EventType.SERVICE_ERROR, Severity.ERROR, t.plusMillis(7), null, null, null));
            try (KafkaProducer<String, String> producer = producer()) {
                events.subList(0, 8).forEach(e -> send(producer, e));
                send(producer, AGENT_B, events.get(8));
            }
            await().atMost(STORED_WITHIN).until(() -> count(
                    "SELECT count(*) FROM audit.events WHERE time >= $1 AND time < $2",
                    KNOWN_BASE.atOffset(ZoneOffset.UTC), KNOWN_BASE.plusSeconds(1).atOffset(ZoneOffset.UTC))
                    == events.size());
            knownSet = events;
        }
        return knownSet;
    }

    private static Event known(EventType type, Severity severity, Instant time, String agentId, String taskId,
            String correlationId) {
        return new Event(UUID.randomUUID().toString(), type, severity, time, "test", agentId, taskId, correlationId,
                Map.of("step", type.name(), "nested", Map.of("list", List.of(1, "two"))));
    }

    private static Event correlated(String correlationId, String taskId, Instant time) {
        return new Event(UUID.randomUUID().toString(), EventType.MESSAGE_SENT, Severity.DEBUG,
                time.truncatedTo(ChronoUnit.MICROS), "test", null, taskId, correlationId, Map.of());
    }

    private static Event event(EventType type, String taskId, String agentId, Instant time, Map<String, Object> data) {
        String source = agentId == null ? "task-intake" : "agent-host";
        return new Event(UUID.randomUUID().toString(), type, type.defaultSeverity(), time, source, agentId, taskId,
                "corr-" + taskId, data);
    }

    /** Pages through every event of a correlation id, following the cursor header. */
    private List<Event> pageThrough(String correlationId, String order, int limit) {
        List<Event> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("correlationId", correlationId).queryParam("order", order)
                    .queryParam("limit", limit);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            Response response = request.when().get("/events");
            response.then().statusCode(200);
            List<Event> page = List.of(Json.read(response.asString(), Event[].class));
            assertThat(page.size()).isLessThanOrEqualTo(limit);
            all.addAll(page);
            cursor = response.header(EventResource.NEXT_CURSOR);
            assertThat(++pages).as("pages end").isLessThan(1000);
        } while (cursor != null);
        return all;
    }

    /** Events of the known set's window that match the parameters. */
    private List<Event> findKnown(String... parameters) {
        List<String> scoped = new ArrayList<>(List.of(parameters));
        scoped.addAll(List.of("since", KNOWN_BASE.toString(), "until", KNOWN_BASE.plusSeconds(1).toString()));
        return find(scoped.toArray(String[]::new));
    }

    private List<Event> find(String... parameters) {
        var request = given();
        for (int i = 0; i < parameters.length; i += 2) {
            request = request.queryParam(parameters[i], parameters[i + 1]);
        }
        String body = request.when().get("/events").then().statusCode(200).extract().asString();
        return List.of(Json.read(body, Event[].class));
    }

    private List<Row> rowsOfTask(String taskId) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT * FROM audit.events WHERE task_id = $1 ORDER BY seq")
                .execute(Tuple.of(taskId)).await().indefinitely()
                .forEach(rows::add);
        return rows;
    }

    private long countCorrelated(String correlationId) {
        return count("SELECT count(*) FROM audit.events WHERE correlation_id = $1", correlationId);
    }

    private long count(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().indefinitely().iterator().next().getLong(0);
    }

    private boolean partitionExists(LocalDate day) {
        Set<LocalDate> days = new HashSet<>(partitions.list().await().indefinitely());
        return days.contains(day);
    }

    private double storedCount(EventType type) {
        return registry.get(AuditMetrics.STORED).tag("type", type.name()).counter().count();
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> producer, Event event) {
        send(producer, event.key(), event);
    }

    private static void send(KafkaProducer<String, String> producer, String key, Event event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.EVENTS, key, Json.write(event));
        record.headers().add(Topics.ID_HEADER, event.eventId().getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }
}
