package io.miminions.localfleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The shared infrastructure against real clients: a Kafka producer and consumer, a JDBC connection. */
class SharedInfrastructureTest {

    private final FleetInfrastructure infrastructure = FleetInfrastructure.shared();

    @Test
    void sharedReturnsTheSameInstance() {
        assertThat(FleetInfrastructure.shared()).isSameAs(infrastructure);
    }

    @Test
    void anotherClassLoaderGetsAViewOfTheSameKafkaAndPostgres() throws Exception {
        List<URL> classpath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classpath.add(Path.of(entry).toUri().toURL());
        }
        try (URLClassLoader quarkusLike = new URLClassLoader(classpath.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> otherCopy = quarkusLike.loadClass(FleetInfrastructure.class.getName());
            Object view = otherCopy.getMethod("shared").invoke(null);

            assertThat(otherCopy).isNotSameAs(FleetInfrastructure.class);
            assertThat(otherCopy.getMethod("kafkaBootstrapServers").invoke(view)).isEqualTo(infrastructure.kafkaBootstrapServers());
            assertThat(otherCopy.getMethod("postgresReactiveUrl").invoke(view)).isEqualTo(infrastructure.postgresReactiveUrl());
        }
    }

    @Test
    void aTransactionalRecordReachesAConsumerGroup() throws Exception {
        String topic = createTopic();

        produceInTransaction(topic, "task-1", "hello");

        assertThat(consumeAll(topic, 1)).containsExactly("task-1=hello");
    }

    @Test
    void kafkaStoppedAndStartedAgainKeepsItsAddressTopicsAndRecords() throws Exception {
        String topic = createTopic();
        produceInTransaction(topic, "before", "stop");
        String address = infrastructure.kafkaBootstrapServers();

        infrastructure.kafka().stop();
        try (Admin admin = admin()) {
            assertThat(admin.listTopics(new ListTopicsOptions().timeoutMs(1000)).names())
                    .as("topics of a stopped broker").failsWithin(Duration.ofSeconds(5));
        } finally {
            infrastructure.kafka().start();
        }

        assertThat(infrastructure.kafkaBootstrapServers()).isEqualTo(address);
        produceInTransaction(topic, "after", "start");
        assertThat(consumeAll(topic, 2)).containsExactly("before=stop", "after=start");
    }

    @Test
    void postgresIsReadyForTheFleet() throws SQLException {
        PostgresExpectations.assertReadyForTheFleet(infrastructure.postgresJdbcUrl());
    }

    @Test
    void urlsPointAtTheRunningServer() {
        String address = infrastructure.postgresHost() + ":" + infrastructure.postgresPort();
        assertThat(infrastructure.postgresReactiveUrl()).isEqualTo("postgresql://" + address + "/miminions");
        assertThat(infrastructure.postgresJdbcUrl()).isEqualTo("jdbc:postgresql://" + address + "/miminions");
    }

    private String createTopic() throws ExecutionException, InterruptedException {
        String topic = "local-fleet-test-" + UUID.randomUUID();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()));
    }

    private void produceInTransaction(String topic, String key, String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-fleet-test-" + UUID.randomUUID()),
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, key, value));
            producer.commitTransaction();
        }
    }

    /** Reads the topic from the start in a fresh consumer group until {@code count} records arrived. */
    private List<String> consumeAll(String topic, int count) {
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "local-fleet-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.key() + "=" + record.value());
                }
                return received.size() >= count;
            });
        }
        return received;
    }
}
