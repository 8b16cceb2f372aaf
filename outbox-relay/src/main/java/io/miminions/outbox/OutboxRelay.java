package io.miminions.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.miminions.model.Topics;
import io.miminions.observability.TraceHeaders;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Relays a service's outbox to Kafka: Debezium, embedded, reads the inserts into
 * {@code <schema>.outbox} from PostgreSQL's write-ahead log ({@code pgoutput}) and this class
 * produces the records of each row ({@link OutboxTable}) as Kafka records, in order. Debezium's
 * offset advances only after Kafka acknowledged the whole batch, so a crash replays records
 * (consumers deduplicate by {@link Topics#ID_HEADER}) and never loses one. While Kafka is
 * unreachable the relay waits and retries; the replication slot keeps the WAL meanwhile.
 *
 * <p>A record's {@code traceparent} becomes its W3C trace header, so the trace of the
 * transaction that wrote the row goes on in the consumers. The time from a row's commit to Kafka's
 * acknowledgement of its record is measured as {@value #LAG_METER} (tag {@code relay}), for records
 * sent early ({@link #announce}) as well as for those the relay sent.
 */
public final class OutboxRelay implements AutoCloseable {

    /** The timer of the outbox lag: commit of an outbox row → Kafka acknowledged its record. */
    public static final String LAG_METER = "miminions.outbox.lag";

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration SEND_RETRY_PAUSE = Duration.ofMillis(500);
    private static final Duration RESTART_PAUSE = Duration.ofSeconds(2);
    private static final Duration EARLY_ANNOUNCEMENT_MEMORY = Duration.ofMinutes(1);
    /** Longer than the producer's delivery timeout (2 min), which bounds every early send. */
    private static final int EARLY_ACK_WAIT_SECONDS = 180;

    /**
     * Where the relay reads and writes.
     *
     * @param name                  the relay's name: a lower-case identifier, unique per database;
     *                              it names the replication slot and the publication
     * @param schema                the schema whose {@code outbox} table is relayed
     * @param reactiveUrl           the database, as {@code postgresql://host:port/database}
     * @param offsetFile            where Debezium keeps its offset; null keeps it in Kafka
     *                              (topic {@code miminions.outbox-offsets.<name>})
     */
    public record Settings(String name, String schema, String reactiveUrl, String user, String password,
            String kafkaBootstrapServers, Path offsetFile) {

        public Settings {
            Objects.requireNonNull(reactiveUrl, "reactiveUrl");
            Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
            if (name == null || !name.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("the relay name must be a lower-case identifier, was " + name);
            }
            OutboxTable.name(schema);
        }
    }

    private final Settings settings;
    private final KafkaProducer<String, String> producer;
    private final Timer lag;
    private final ScheduledExecutorService engineThread =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "outbox-relay"));
    private final ExecutorService earlySender = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-early-send"));
    /** Records announced for an early send ({@link #announce}), by id, until the relay meets them in the WAL. */
    private final Map<String, PendingEarly> announced = new ConcurrentHashMap<>();
    private volatile DebeziumEngine<ChangeEvent<String, String>> engine;
    private volatile boolean closing;

    /** A relay that records its lag in {@code registry}. */
    public OutboxRelay(Settings settings, MeterRegistry registry) {
        this.settings = settings;
        this.lag = Timer.builder(LAG_METER)
                .description("Time from the commit of an outbox row to Kafka's acknowledgement of its record")
                .tag("relay", settings.name())
                .publishPercentileHistogram()
                .register(registry);
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrapServers());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-" + settings.name());
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
    }

    /**
     * Starts reading the WAL; returns at once. If the engine fails (the database or, with offsets in
     * Kafka, the broker is unreachable) it is started again after a pause until {@link #stop()}.
     */
    public synchronized void start() {
        if (engine != null) {
            throw new IllegalStateException("the outbox relay " + settings.name() + " is already running");
        }
        prepareSlot();
        DebeziumEngine<ChangeEvent<String, String>> started = DebeziumEngine.create(Json.class)
                .using(debeziumConfig())
                .notifying(this::relay)
                .using((success, message, error) -> restartAfterFailure(success, message, error))
                .build();
        engine = started;
        engineThread.execute(started);
        LOG.infof("outbox relay %s started on %s.outbox", settings.name(), settings.schema());
    }

    private void restartAfterFailure(boolean success, String message, Throwable error) {
        if (success || closing || engine == null) {
            return;
        }
        LOG.errorf(error, "outbox relay %s stopped (%s); starting it again in %s", settings.name(), message, RESTART_PAUSE);
        engine = null;
        engineThread.schedule(() -> {
            synchronized (this) {
                if (!closing && engine == null && !engineThread.isShutdown()) {
                    try {
                        start();
                    } catch (RuntimeException e) {
                        restartAfterFailure(false, e.getMessage(), e);
                    }
                }
            }
        }, RESTART_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Creates the outbox table, the publication and the replication slot unless they exist. Done
     * before start() returns: from then on every committed outbox row is kept in the WAL for the
     * relay, even if the engine itself is still connecting.
     */
    private void prepareSlot() {
        Properties credentials = new Properties();
        credentials.setProperty("user", settings.user());
        credentials.setProperty("password", settings.password());
        // The driver itself, not DriverManager: DriverManager hides drivers registered by another
        // class loader, as when a second application starts in the same JVM.
        try (Connection db = new org.postgresql.Driver().connect(jdbcUrl(), credentials);
                Statement sql = db.createStatement()) {
            for (String statement : OutboxTable.createStatements(settings.schema())) {
                sql.execute(statement);
            }
            String slot = slotName();
            try (ResultSet exists = sql.executeQuery("SELECT 1 FROM pg_publication WHERE pubname = '" + slot + "'")) {
                if (!exists.next()) {
                    sql.execute("CREATE PUBLICATION " + slot + " FOR TABLE " + OutboxTable.name(settings.schema()));
                }
            }
            // Only the inserts: the deletes that keep the table empty are never decoded nor sent.
            sql.execute("ALTER PUBLICATION " + slot + " SET (publish = 'insert')");
            try (ResultSet exists = sql.executeQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
                if (!exists.next()) {
                    sql.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the replication slot of outbox relay " + settings.name()
                    + ": " + e.getMessage(), e);
        }
    }

    private String slotName() {
        return settings.name() + "_outbox";
    }

    private URI databaseUri() {
        return URI.create(settings.reactiveUrl().replaceFirst("^(vertx-reactive:)?postgres(ql)?://", "postgresql://"));
    }

    private String jdbcUrl() {
        URI url = databaseUri();
        return "jdbc:postgresql://" + url.getHost() + ":" + (url.getPort() > 0 ? url.getPort() : 5432) + url.getPath();
    }

    /** Stops reading the WAL; what was not relayed yet is relayed after the next {@link #start()}. */
    public synchronized void stop() {
        if (engine == null) {
            return;
        }
        closing = true;
        try {
            engine.close();
        } catch (IOException e) {
            LOG.warnf(e, "outbox relay %s did not close cleanly", settings.name());
        } finally {
            engine = null;
            closing = false;
        }
    }

    @Override
    public synchronized void close() {
        stop();
        engineThread.shutdownNow();
        earlySender.shutdown();
        producer.close(Duration.ofSeconds(5));
    }

    /**
     * The fast path: sends records right after their transaction committed instead of after the
     * relay read them from the WAL. Call it with the records a transaction is about to write, before
     * it commits; then {@link EarlyPublication#send()} after the commit, or
     * {@link EarlyPublication#abandon()} when the commit failed or its result is unknown. The relay
     * stays the guarantee: when it meets a row announced here, it waits for the early send to end
     * (Kafka took it, or the producer gave up on it after its delivery timeout) and sends the record
     * itself unless Kafka took it. While Kafka is unreachable the relay thus waits as it would for
     * its own sends. Early sends keep the order of {@code send()} calls (callers that need commit
     * order must call it in that order); a record whose early send failed is sent by the relay after
     * records committed later, and after a restart the relay may send again what was sent early
     * (consumers deduplicate by {@link Topics#ID_HEADER}).
     */
    public EarlyPublication announce(List<OutboxRecord> records) {
        List<PendingEarly> pending = new ArrayList<>(records.size());
        long now = System.nanoTime();
        for (OutboxRecord record : records) {
            PendingEarly early = new PendingEarly(record, now, new CompletableFuture<>());
            announced.put(record.id(), early);
            pending.add(early);
        }
        return new EarlyPublication(pending);
    }

    /** Records announced before their commit, to send once it is known to have happened. */
    public final class EarlyPublication {

        private final List<PendingEarly> records;

        private EarlyPublication(List<PendingEarly> records) {
            this.records = records;
        }

        /**
         * Sends the records, in order, on the relay's early-send thread (the caller never waits for
         * Kafka's metadata or buffer); call it only once the transaction committed.
         *
         * @return completes when Kafka acknowledged every record, or with the first failure (callers may ignore it)
         */
        public CompletableFuture<Void> send() {
            long committedAt = System.nanoTime();
            try {
                earlySender.execute(() -> sendInOrder(committedAt));
            } catch (RejectedExecutionException closed) {
                abandon();
            }
            return CompletableFuture.allOf(records.stream().map(early -> early.acknowledged().thenAccept(taken -> {
                if (!taken) {
                    throw new IllegalStateException("Kafka did not take the record " + early.record().id());
                }
            })).toArray(CompletableFuture[]::new));
        }

        /** Leaves the records to the relay: the commit failed, or may have. */
        public void abandon() {
            records.forEach(early -> early.acknowledged().complete(false));
        }

        private void sendInOrder(long committedAt) {
            for (PendingEarly early : records) {
                try {
                    producer.send(toRecord(early.record()), (metadata, error) -> {
                        if (error == null) {
                            lag.record(System.nanoTime() - committedAt, TimeUnit.NANOSECONDS);
                        }
                        early.acknowledged().complete(error == null);
                    });
                } catch (RuntimeException e) {
                    early.acknowledged().complete(false);
                }
            }
        }
    }

    /** A record announced for an early send; {@code acknowledged} turns true once Kafka took it, false when it will not be sent early. */
    private record PendingEarly(OutboxRecord record, long announcedAtNanos, CompletableFuture<Boolean> acknowledged) {
    }

    private void relay(List<ChangeEvent<String, String>> batch, DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        List<ProducerRecord<String, String>> records = new ArrayList<>(batch.size());
        List<Long> commitTimes = new ArrayList<>(batch.size());
        for (ChangeEvent<String, String> change : batch) {
            OutboxChange row = toOutboxChange(change.value());
            if (row == null) {
                continue;
            }
            for (OutboxRecord record : row.records()) {
                if (!sentEarly(record.id())) {
                    records.add(toRecord(record));
                    commitTimes.add(row.committedAtMillis());
                }
            }
        }
        forgetStaleAnnouncements();
        sendAll(records);
        long acknowledgedAt = System.currentTimeMillis();
        commitTimes.forEach(committedAt -> lag.record(Math.max(0, acknowledgedAt - committedAt), TimeUnit.MILLISECONDS));
        for (ChangeEvent<String, String> change : batch) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
    }

    /** Sends every record and waits for all acknowledgements, retrying until Kafka takes them or the relay stops. */
    private void sendAll(List<ProducerRecord<String, String>> records) throws InterruptedException {
        while (!records.isEmpty()) {
            List<Future<RecordMetadata>> acks = records.stream().map(producer::send).toList();
            List<ProducerRecord<String, String>> failed = new ArrayList<>();
            for (int i = 0; i < acks.size(); i++) {
                try {
                    acks.get(i).get(2, TimeUnit.MINUTES);
                } catch (ExecutionException | TimeoutException e) {
                    failed.add(records.get(i));
                    LOG.warnf("outbox relay %s: Kafka did not take a record for %s (%s); retrying",
                            settings.name(), records.get(i).topic(), e.getMessage());
                }
            }
            if (!failed.isEmpty()) {
                if (closing) {
                    throw new InterruptedException("the relay stopped with " + failed.size() + " records unsent");
                }
                Thread.sleep(SEND_RETRY_PAUSE);
            }
            records = failed;
        }
    }

    /** True when the record was announced for an early send and Kafka acknowledged that send. */
    private boolean sentEarly(String id) throws InterruptedException {
        PendingEarly early = announced.remove(id);
        if (early == null) {
            return false;
        }
        try {
            return early.acknowledged().get(EARLY_ACK_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /**
     * Forgets announcements the relay has not met within a minute: their transactions rolled back
     * (their rows never reach the WAL), so the map stays small.
     */
    private void forgetStaleAnnouncements() {
        long staleBefore = System.nanoTime() - EARLY_ANNOUNCEMENT_MEMORY.toNanos();
        announced.values().removeIf(early -> early.announcedAtNanos() < staleBefore);
    }

    /**
     * An inserted outbox row, as Debezium reported it.
     *
     * @param records           its records, in the order they were written
     * @param committedAtMillis when its transaction committed (Debezium's {@code source.ts_ms}), in epoch milliseconds
     */
    record OutboxChange(List<OutboxRecord> records, long committedAtMillis) {
    }

    /** The records of an inserted outbox row; null for other changes. */
    static OutboxChange toOutboxChange(String changeJson) {
        if (changeJson == null) {
            return null;
        }
        JsonNode change = io.miminions.model.Json.tree(changeJson.getBytes(StandardCharsets.UTF_8));
        JsonNode payload = change.has("payload") ? change.get("payload") : change;
        JsonNode row = payload.get("after");
        if (!"c".equals(payload.path("op").asText()) || row == null || row.isNull()) {
            return null;
        }
        long committedAt = payload.path("source").path("ts_ms").asLong(System.currentTimeMillis());
        String packed = text(row, "records");
        if (packed != null) {
            return new OutboxChange(List.of(io.miminions.model.Json.read(packed, OutboxRecord[].class)), committedAt);
        }
        Integer partition = row.path("kafka_partition").isNull() || row.path("kafka_partition").isMissingNode()
                ? null : row.get("kafka_partition").asInt();
        OutboxRecord record = new OutboxRecord(row.get("id").asText(), row.get("topic").asText(), partition, text(row, "kafka_key"),
                text(row, "payload"), text(row, "traceparent"));
        return new OutboxChange(List.of(record), committedAt);
    }

    private static String text(JsonNode row, String column) {
        return row.path(column).isNull() ? null : row.path(column).asText(null);
    }

    static ProducerRecord<String, String> toRecord(OutboxRecord outboxRecord) {
        ProducerRecord<String, String> record = new ProducerRecord<>(outboxRecord.topic(), outboxRecord.partition(),
                outboxRecord.key(), outboxRecord.payload());
        record.headers().add(Topics.ID_HEADER, outboxRecord.id().getBytes(StandardCharsets.UTF_8));
        if (outboxRecord.traceparent() != null) {
            record.headers().add(TraceHeaders.TRACEPARENT, outboxRecord.traceparent().getBytes(StandardCharsets.UTF_8));
        }
        if (outboxRecord.eventType() != null) {
            record.headers().add(Topics.TYPE_HEADER, outboxRecord.eventType().getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private Properties debeziumConfig() {
        URI url = databaseUri();
        Properties p = new Properties();
        p.setProperty("name", "outbox-" + settings.name());
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("topic.prefix", "miminions-outbox-" + settings.name());
        p.setProperty("database.hostname", url.getHost());
        p.setProperty("database.port", String.valueOf(url.getPort() > 0 ? url.getPort() : 5432));
        p.setProperty("database.dbname", url.getPath().substring(1));
        p.setProperty("database.user", settings.user());
        p.setProperty("database.password", settings.password() == null ? "" : settings.password());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slotName());
        p.setProperty("publication.name", slotName());
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", OutboxTable.name(settings.schema()));
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("poll.interval.ms", "50");
        p.setProperty("offset.flush.interval.ms", "1000");
        p.setProperty("key.converter.schemas.enable", "false");
        p.setProperty("value.converter.schemas.enable", "false");
        if (settings.offsetFile() != null) {
            p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
            p.setProperty("offset.storage.file.filename", settings.offsetFile().toAbsolutePath().toString());
        } else {
            p.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
            p.setProperty("offset.storage.topic", "miminions.outbox-offsets." + settings.name());
            p.setProperty("offset.storage.partitions", "1");
            p.setProperty("offset.storage.replication.factor", "1");
            p.setProperty("bootstrap.servers", settings.kafkaBootstrapServers());
        }
        return p;
    }
}
