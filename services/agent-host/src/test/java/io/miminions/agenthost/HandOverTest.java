package io.miminions.agenthost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.agenthost.service.SecondHost;
import io.miminions.agenthost.testagents.CountingAgent;
import io.miminions.model.AgentAction;
import io.miminions.model.AgentCommand;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Agents move between two hosts with their saved state, and paused agents stay paused. */
@QuarkusTest
class HandOverTest extends HostKafkaTest {

    @Test
    void agentsHandedOverKeepTheirStateAndAPausedAgentStaysPaused() throws Exception {
        String counter = "moving-" + UUID.randomUUID();
        String sleeper = "moving-paused-" + UUID.randomUUID();
        String secondHostId;
        int partition;
        try (SecondHost second = new SecondHost(bootstrapServers)) {
            secondHostId = second.hostId();
            Set<Integer> owned = await().atMost(Duration.ofSeconds(60)).until(second::owned, partitions -> !partitions.isEmpty());
            partition = owned.iterator().next();
            kafka.send(command(counter, AgentAction.START), partition);
            kafka.send(command(sleeper, AgentAction.START), partition);
            assertThat(awaitAgentEvent(EventType.AGENT_STARTED, counter, secondHostId).data()).containsEntry("restored", false);
            awaitAgentEvent(EventType.AGENT_STARTED, sleeper, secondHostId);
            for (int batch = 1; batch <= 3; batch++) {
                assertThat(run(counter, 10)).containsEntry("total_count", 10 * batch);
            }
            assertThat(run(sleeper, 10)).containsEntry("total_count", 10);
            kafka.send(command(sleeper, AgentAction.PAUSE), partition);
            awaitAgentEvent(EventType.AGENT_PAUSED, sleeper, secondHostId);
        }

        Event handedOver = awaitAgentEvent(EventType.AGENT_HANDED_OVER, counter, secondHostId);
        assertThat(handedOver.data()).isEqualTo(Map.of("generation", 1, "host", secondHostId, "stateSaved", true));
        assertThat(awaitAgentEvent(EventType.AGENT_HANDED_OVER, sleeper, secondHostId).data()).containsEntry("stateSaved", true);
        assertThat(CountingAgent.stops(counter)).isEqualTo(1);
        assertThat(CountingAgent.stops(sleeper)).isEqualTo(1);
        assertThat(CountingAgent.pauses(sleeper)).as("a paused agent keeps the state it saved").isEqualTo(1);

        Event restarted = awaitAgentEvent(EventType.AGENT_STARTED, counter, host.hostId());
        assertThat(restarted.data()).containsEntry("restored", true).containsEntry("generation", 1);
        assertThat(run(counter, 5)).containsEntry("total_count", 35);

        awaitAgentEvent(EventType.AGENT_PAUSED, sleeper, host.hostId());
        assertThat(kafka.recordedEvents(e -> e.type() == EventType.AGENT_STARTED && sleeper.equals(e.agentId())
                && host.hostId().equals(e.data().get("host")))).isEmpty();
        Assignment waiting = TestKafka.assignment(sleeper, Map.of("items", Collections.nCopies(5, 1)));
        kafka.send(waiting);
        kafka.send(command(sleeper, AgentAction.RESUME), partition);
        Event resumed = awaitAgentEvent(EventType.AGENT_RESUMED, sleeper, host.hostId());
        Event completed = kafka.awaitEvent(e -> TestKafka.ended(e, "COMPLETED") && waiting.taskId().equals(e.taskId()));
        assertThat(completed.time()).isAfterOrEqualTo(resumed.time());
        assertThat(completed.data()).containsEntry("output", Map.of("processed", 5, "total_count", 15, "stopping", false));
    }

    private Event awaitAgentEvent(EventType type, String agentId, String hostId) {
        return kafka.awaitEvent(e -> e.type() == type && agentId.equals(e.agentId()) && hostId.equals(e.data().get("host")));
    }

    private Map<String, Object> run(String agentId, int items) {
        return kafka.run(TestKafka.assignment(agentId, Map.of("items", Collections.nCopies(items, 1))));
    }

    private static AgentCommand command(String agentId, AgentAction action) {
        return TestKafka.command(agentId, CountingAgent.class.getName(), action);
    }
}
