package io.miminions.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What Kafka alone does on the same broker: 100-byte records, acks=all, linger 0. */
final class KafkaBaseline {

    private final String bootstrapServers;

    KafkaBaseline(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    Map<String, Object> run(int records, int latencySamples) throws Exception {
        String topic = "miminions.benchmark.baseline-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        byte[] value = new byte[100];
        Map<String, Object> result = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer();
                KafkaConsumer<byte[], byte[]> consumer = consumer(topic)) {
            consumer.poll(Duration.ofMillis(500));

            long began = System.nanoTime();
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, value));
            }
            producer.flush();
            double produceSeconds = (System.nanoTime() - began) / 1e9;

            began = System.nanoTime();
            int consumed = 0;
            while (consumed < records) {
                consumed += consumer.poll(Duration.ofMillis(500)).count();
            }
            double consumeSeconds = (System.nanoTime() - began) / 1e9;

            List<Double> hops = new ArrayList<>();
            for (int i = 0; i < latencySamples; i++) {
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, value));
                boolean received = false;
                while (!received) {
                    for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(100))) {
                        received = true;
                    }
                }
                hops.add((System.nanoTime() - sent) / 1e6);
            }
            result.put("produce_records_per_s", Math.round(records / produceSeconds));
            result.put("consume_records_per_s", Math.round(records / consumeSeconds));
            result.put("produce_to_consume", Percentiles.of(hops).toMap());
        }
        return result;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer(String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "benchmark-baseline-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
