package io.miminions.localfleet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broker settings of a single-node fleet, the same for the broker process and the broker container.
 * Every internal topic gets replication factor 1 and min ISR 1; otherwise, on one node, consumer
 * groups, transactions or share groups wait forever for replicas that never come.
 */
final class KafkaSettings {

    private KafkaSettings() {
    }

    static Map<String, String> singleNode() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("num.partitions", "1");
        settings.put("default.replication.factor", "1");
        settings.put("min.insync.replicas", "1");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "5");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", "5");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("share.coordinator.state.topic.num.partitions", "5");
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.put("log.cleaner.dedupe.buffer.size", String.valueOf(32 * 1024 * 1024));
        return settings;
    }
}
