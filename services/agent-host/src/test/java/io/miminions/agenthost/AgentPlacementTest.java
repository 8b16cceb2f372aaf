package io.miminions.agenthost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.agenthost.listener.AgentPlacement;
import io.miminions.model.AgentAction;
import io.miminions.model.EventType;
import io.miminions.model.FleetTopics;
import io.miminions.model.Topics;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Placement follows the ownership of control partitions: agents move with their partition. */
@QuarkusTest
class AgentPlacementTest extends HostKafkaTest {

    @Test
    void agentsOfPartitionsThatMoveAwayAreHandedOverAndStartAgainWhenTheyComeBack() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> agents = IntStream.range(0, FleetTopics.CONTROL_PARTITIONS).mapToObj(p -> "placed-" + run + "-" + p)
                .toList();
        for (int partition = 0; partition < agents.size(); partition++) {
            kafka.send(TestKafka.command(agents.get(partition), "HelloAgent", AgentAction.START), partition);
        }
        agents.forEach(agentId -> kafka.awaitEvent(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId())));

        Set<Integer> moved;
        try (KafkaConsumer<String, String> otherHost = kafka.newConsumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, AgentPlacement.GROUP_ID,
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()))) {
            otherHost.subscribe(List.of(Topics.AGENTS_CONTROL));
            moved = await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
                otherHost.poll(Duration.ofMillis(100));
                return otherHost.assignment().stream().map(TopicPartition::partition).collect(Collectors.toSet());
            }, partitions -> !partitions.isEmpty());
        }

        assertThat(moved).hasSizeLessThan(FleetTopics.CONTROL_PARTITIONS);
        for (int partition : moved) {
            String agentId = agents.get(partition);
            kafka.awaitEvents(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId()), 2);
        }
        assertThat(kafka.recordedEvents(e -> e.type() == EventType.AGENT_STOPPED && agents.contains(e.agentId())))
                .as("a hand-over is not a stop").isEmpty();
        IntStream.range(0, agents.size()).filter(p -> !moved.contains(p)).mapToObj(agents::get).forEach(agentId ->
                assertThat(kafka.recordedEvents(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId())))
                        .as("agent %s of a partition that stayed", agentId).hasSize(1));
    }
}
