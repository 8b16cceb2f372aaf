package io.miminions.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.miminions.localfleet.FleetInfrastructure;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay against a real PostgreSQL (logical WAL, Debezium) and a real Kafka broker. */
class OutboxRelayIT {

    private static final String SCHEMA = "relay_it";
    private static FleetInfrastructure infra;
    private static Vertx vertx;
    private static Pool pool;

    @TempDir
    static Path offsets;

    @BeforeAll
    static void connect() {
        infra = FleetInfrastructure.shared();
        vertx = Vertx.vertx();
        PgConnectOptions options = PgConnectOptions.fromUri(infra.postgresReactiveUrl())
                .setUser(infra.postgresUser()).setPassword(infra.postgresPassword());
        pool = PgPool.pool(vertx, options, new PoolOptions().setMaxSize(2));
        OutboxTable.createStatements(SCHEMA).forEach(sql -> pool.query(sql).executeAndAwait());
    }

    @AfterAll
    static void disconnect() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
    }

    @Test
    void recordsCommittedWhileTheRelayIsDownArriveOnceItRunsAgainOnceEach() {
        String topic = newTopic();
        try (OutboxRelay relay = new OutboxRelay(settings("relay_restart"), new SimpleMeterRegistry());
                KafkaConsumer<String, String> consumer = consumer(topic)) {
            relay.start();
            commit(List.of(OutboxRecord.of(topic, 0, "a", Map.of("n", 1))));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> poll(consumer, seen) == 1);

            relay.stop();
            commit(List.of(OutboxRecord.of(topic, 0, "b", Map.of("n", 2)), OutboxRecord.of(topic, 0, "c", Map.of("n", 3))));
            relay.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> poll(consumer, seen) >= 3);
            assertThat(seen).extracting(ConsumerRecord::key).containsExactly("a", "b", "c");
            assertThat(seen).extracting(ConsumerRecord::value).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
            assertThat(seen).extracting(r -> new String(r.headers().lastHeader("miminions.id").value(), StandardCharsets.UTF_8))
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void aRecordPublishedRightAfterItsCommitIsNotRelayedAgain() throws Exception {
        String topic = newTopic();
        try (OutboxRelay relay = new OutboxRelay(settings("relay_early"), new SimpleMeterRegistry());
                KafkaConsumer<String, String> consumer = consumer(topic)) {
            relay.start();
            relay.stop();
            List<OutboxRecord> early = List.of(OutboxRecord.of(topic, 0, "early", Map.of()));
            OutboxRelay.EarlyPublication publication = relay.announce(early);
            commit(early);
            publication.send().get(60, TimeUnit.SECONDS);
            relay.start();
            commit(List.of(OutboxRecord.of(topic, 0, "late", Map.of())));

            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> poll(consumer, seen) >= 2 && "late".equals(seen.getLast().key()));
            assertThat(seen).extracting(ConsumerRecord::key).containsExactly("early", "late");
        }
    }

    @Test
    void aRecordAnnouncedForAnEarlySendThatWasAbandonedIsRelayed() {
        String topic = newTopic();
        try (OutboxRelay relay = new OutboxRelay(settings("relay_abandoned"), new SimpleMeterRegistry());
                KafkaConsumer<String, String> consumer = consumer(topic)) {
            relay.start();
            List<OutboxRecord> records = List.of(OutboxRecord.of(topic, 0, "unsure", Map.of()));
            OutboxRelay.EarlyPublication publication = relay.announce(records);
            commit(records);
            publication.abandon();
            commit(List.of(OutboxRecord.of(topic, 0, "after", Map.of())));

            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> poll(consumer, seen) >= 2);
            assertThat(seen).extracting(ConsumerRecord::key).containsExactly("unsure", "after");
        }
    }

    @Test
    void aRowOfOneRecordAsEarlierVersionsWroteItIsRelayedBetweenRowsOfTransactions() {
        String topic = newTopic();
        try (OutboxRelay relay = new OutboxRelay(settings("relay_single_rows"), new SimpleMeterRegistry());
                KafkaConsumer<String, String> consumer = consumer(topic)) {
            relay.start();
            commit(List.of(OutboxRecord.of(topic, 0, "packed-1", Map.of())));
            pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO " + OutboxTable.name(SCHEMA)
                                    + " (id, topic, kafka_partition, kafka_key, payload) VALUES ($1, $2, 0, 'single', '{}')")
                            .execute(Tuple.of(UUID.randomUUID().toString(), topic))
                            .chain(() -> conn.query("DELETE FROM " + OutboxTable.name(SCHEMA)).execute()))
                    .await().indefinitely();
            commit(List.of(OutboxRecord.of(topic, 0, "packed-2", Map.of()), OutboxRecord.of(topic, 0, "packed-3", Map.of())));

            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> poll(consumer, seen) >= 4);
            assertThat(seen).extracting(ConsumerRecord::key).containsExactly("packed-1", "single", "packed-2", "packed-3");
        }
    }

    @Test
    void aRolledBackTransactionSendsNothing() {
        String topic = newTopic();
        try (OutboxRelay relay = new OutboxRelay(settings("relay_rollback"), new SimpleMeterRegistry());
                KafkaConsumer<String, String> consumer = consumer(topic)) {
            relay.start();
            try {
                pool.withTransaction(conn -> OutboxWriter.append(conn, SCHEMA, List.of(OutboxRecord.of(topic, 0, "lost", Map.of())))
                        .chain(() -> conn.query("SELECT 1/0").execute())).await().indefinitely();
            } catch (RuntimeException expected) {
                // the division by zero rolls the transaction back
            }
            commit(List.of(OutboxRecord.of(topic, 0, "kept", Map.of())));

            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> poll(consumer, seen) >= 1);
            assertThat(seen).extracting(ConsumerRecord::key).containsExactly("kept");
        }
    }

    @Test
    void aRowsTraceContextTravelsAsTheRecordsTraceparentAndTheLagIsMeasured() {
        String topic = newTopic();
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (OutboxRelay relay = new OutboxRelay(settings("relay_traced"), registry);
                KafkaConsumer<String, String> consumer = consumer(topic)) {
            relay.start();
            commit(List.of(OutboxRecord.of(topic, 0, "traced", Map.of()).inTrace(traceparent),
                    OutboxRecord.of(topic, 0, "untraced", Map.of())));

            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> poll(consumer, seen) >= 2);
            assertThat(new String(seen.get(0).headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                    .isEqualTo(traceparent);
            assertThat(seen.get(1).headers().lastHeader("traceparent")).isNull();
            Timer lag = registry.get(OutboxRelay.LAG_METER).tag("relay", "relay_traced").timer();
            assertThat(lag.count()).isEqualTo(2);
        }
    }

    private OutboxRelay.Settings settings(String name) {
        return new OutboxRelay.Settings(name, SCHEMA, infra.postgresReactiveUrl(), infra.postgresUser(),
                infra.postgresPassword(), infra.kafkaBootstrapServers(), offsets.resolve(name + ".offsets"));
    }

    private static void commit(List<OutboxRecord> records) {
        pool.withTransaction(conn -> OutboxWriter.append(conn, SCHEMA, records)).await().indefinitely();
        assertThat(pool.query("SELECT count(*) FROM " + OutboxTable.name(SCHEMA)).executeAndAwait().iterator().next().getLong(0))
                .as("the outbox table stays empty").isZero();
    }

    private static String newTopic() {
        String topic = "relay-it-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return topic;
    }

    private static KafkaConsumer<String, String> consumer(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "relay-it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static int poll(KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> seen) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.size();
    }
}
