package io.miminions.agenthost.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer whose Kafka client metrics (fetch rates, {@code kafka.consumer.fetch.manager.records.lag}
 * and the rest, tagged {@code client.id}) are on the service's registry while it is open, and
 * removed when it closes: agents come and go, their consumers' meters with them.
 */
final class MeteredConsumer extends KafkaConsumer<String, String> {

    private final KafkaClientMetrics metrics;

    MeteredConsumer(Map<String, Object> config, MeterRegistry registry) {
        super(config, new StringDeserializer(), new StringDeserializer());
        this.metrics = new KafkaClientMetrics(this);
        metrics.bindTo(registry);
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            metrics.close();
        }
    }

    @Override
    public void close(Duration timeout) {
        try {
            super.close(timeout);
        } finally {
            metrics.close();
        }
    }

    @Override
    public void close(CloseOptions options) {
        try {
            super.close(options);
        } finally {
            metrics.close();
        }
    }
}
