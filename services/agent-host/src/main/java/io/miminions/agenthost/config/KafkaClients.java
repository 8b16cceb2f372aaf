package io.miminions.agenthost.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.miminions.model.FleetTopics;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka clients of this service, built from the {@code kafka.*} configuration (so security
 * settings pass through) plus the settings each client needs. Each client's Kafka metrics are
 * bound to the service's Micrometer registry ({@code KafkaClientMetrics}): consumer lag shows on
 * {@code /q/metrics} as {@code kafka_consumer_fetch_manager_records_lag*}.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> common;
    private final MeterRegistry registry;
    private final List<KafkaClientMetrics> producerMetrics = new ArrayList<>();
    private Admin admin;

    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, MeterRegistry registry) {
        this.registry = registry;
        this.common = new HashMap<>(kafkaConfig);
        this.common.remove(ConsumerConfig.GROUP_ID_CONFIG);
    }

    /** A producer of JSON strings that waits for all replicas and sends at once: latency matters on every hop. */
    public synchronized KafkaProducer<String, String> newProducer() {
        Map<String, Object> config = new HashMap<>(common);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        producerMetrics.add(metrics);
        return producer;
    }

    /** A consumer of JSON strings in the given group that commits only when told to and starts at the earliest record. */
    public KafkaConsumer<String, String> newConsumer(String groupId, Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(common);
        config.putAll(settings);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new MeteredConsumer(config, registry);
    }

    /** Creates those of the topics that do not exist yet. */
    public synchronized void ensureTopics(List<NewTopic> topics) {
        if (admin == null) {
            admin = Admin.create(common);
        }
        FleetTopics.ensure(admin, topics);
    }

    @PreDestroy
    synchronized void close() {
        producerMetrics.forEach(KafkaClientMetrics::close);
        if (admin != null) {
            admin.close();
        }
    }
}
