package io.miminions.agenthost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.agenthost.service.HostedAgent;
import io.miminions.agenthost.testagents.HoardingAgent;
import io.miminions.agenthost.testagents.OutOfMemoryAgent;
import io.miminions.model.AgentAction;
import io.miminions.model.AgentLimits;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Severity;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The memory limit of an agent is measured on the heap it holds, and an agent over it fails. */
@QuarkusTest
class MemoryLimitTest extends HostKafkaTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void anAgentThatHoldsMoreThanItsLimitFails() {
        String agentId = start(HoardingAgent.class.getName(), 32);
        for (int task = 0; task < 6; task++) {
            kafka.send(TestKafka.assignment(agentId, Map.of()));
        }

        Event failed = kafka.awaitEvent(e -> e.type() == EventType.AGENT_FAILED && agentId.equals(e.agentId()));

        assertThat(failed.severity()).isEqualTo(Severity.ERROR);
        assertThat(failed.data()).containsEntry("limitMb", 32).containsEntry("generation", 1).containsEntry("host", host.hostId());
        int heapMb = (Integer) failed.data().get("heapMb");
        assertThat(heapMb).isGreaterThan(32);
        assertThat((String) failed.data().get("reason"))
                .isEqualTo("holds at least " + heapMb + " MiB of heap, over its limit of 32 MiB");
        await().atMost(Duration.ofSeconds(10)).until(() -> host.agent(agentId).isEmpty());
    }

    @Test
    void anAgentUnderItsLimitKeepsRunning() {
        String agentId = start(HoardingAgent.class.getName(), 64);
        for (int task = 0; task < 2; task++) {
            Assignment assignment = TestKafka.assignment(agentId, Map.of());
            kafka.send(assignment);
            kafka.awaitEvent(e -> e.type() == EventType.TASK_ATTEMPT_ENDED && assignment.taskId().equals(e.taskId()));
        }

        long measured = await().atMost(Duration.ofSeconds(10))
                .until(() -> host.agent(agentId).map(HostedAgent::heapBytes).orElse(-1L), bytes -> bytes >= 16 * MIB);

        assertThat(measured).isLessThan(17 * MIB);
        assertThat(host.agent(agentId)).get().extracting(HostedAgent::isRunning).isEqualTo(true);
        assertThat(kafka.recordedEvents(e -> e.type() == EventType.AGENT_FAILED && agentId.equals(e.agentId()))).isEmpty();
    }

    @Test
    void anOutOfMemoryErrorInExecuteFailsTheAgentNotTheHost() {
        String agentId = start(OutOfMemoryAgent.class.getName(), 0);
        Assignment assignment = TestKafka.assignment(agentId, Map.of());
        kafka.send(assignment);

        Event attempt = kafka.awaitEvent(e -> e.type() == EventType.TASK_ATTEMPT_ENDED && assignment.taskId().equals(e.taskId()));
        assertThat(attempt.data()).containsEntry("outcome", "FAILED").containsEntry("errorType", "java.lang.OutOfMemoryError");
        Event failed = kafka.awaitEvent(e -> e.type() == EventType.AGENT_FAILED && agentId.equals(e.agentId()));
        assertThat(failed.data()).containsEntry("reason", "execute ran out of memory: Java heap space");
    }

    private String start(String agentType, int maxMemoryMb) {
        String agentId = "memory-" + UUID.randomUUID();
        kafka.send(TestKafka.command(agentId, agentType, AgentAction.START, 1, new AgentLimits(maxMemoryMb, 0)));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId()));
        return agentId;
    }
}
