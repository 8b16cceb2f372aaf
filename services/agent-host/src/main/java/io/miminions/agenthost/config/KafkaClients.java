package io.miminions.agenthost.config;

import io.miminions.model.FleetTopics;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka clients of this service, built from the {@code kafka.*} configuration (so security
 * settings pass through) plus the settings each client needs.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> common;
    private Admin admin;

    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.common = new HashMap<>(kafkaConfig);
        this.common.remove(ConsumerConfig.GROUP_ID_CONFIG);
    }

    /** A producer of JSON strings that waits for all replicas and sends at once: latency matters on every hop. */
    public KafkaProducer<String, String> newProducer() {
        Map<String, Object> config = new HashMap<>(common);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** A consumer of JSON strings in the given group that commits only when told to and starts at the earliest record. */
    public KafkaConsumer<String, String> newConsumer(String groupId, Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(common);
        config.putAll(settings);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
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
        if (admin != null) {
            admin.close();
        }
    }
}
