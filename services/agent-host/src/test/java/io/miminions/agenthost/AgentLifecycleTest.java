package io.miminions.agenthost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.agenthost.service.HostedAgent;
import io.miminions.agenthost.testagents.CountingAgent;
import io.miminions.agenthost.testagents.FailingStartAgent;
import io.miminions.agenthost.testagents.Gates;
import io.miminions.model.AgentAction;
import io.miminions.model.AgentCommand;
import io.miminions.model.AgentLimits;
import io.miminions.model.AgentSnapshot;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Pause, resume, stop, deregistration and generations of one agent on one host. */
@QuarkusTest
class AgentLifecycleTest extends HostKafkaTest {

    @Test
    void aPauseTakesEffectAfterTheRunningTaskSavesTheStateAndResumeRestoresIt() {
        String agentId = startCounting();
        for (int batch = 0; batch < 3; batch++) {
            assertThat(run(agentId, items(10))).containsEntry("total_count", 10 * (batch + 1));
        }
        Assignment gated = gatedTask(agentId);

        kafka.send(command(agentId, AgentAction.PAUSE));
        await().atMost(Duration.ofSeconds(10)).until(() -> host.agent(agentId).map(HostedAgent::isPausePending).orElse(false));
        assertThat(CountingAgent.pauses(agentId)).as("no onPause while a task runs").isZero();
        Gates.open(gated.input().get("gate").toString());

        Event completed = kafka.awaitEvent(e -> TestKafka.ended(e, "COMPLETED") && gated.taskId().equals(e.taskId()));
        Event paused = kafka.awaitEvent(e -> e.type() == EventType.AGENT_PAUSED && agentId.equals(e.agentId()));
        assertThat(paused.time()).isAfterOrEqualTo(completed.time());
        assertThat(paused.data()).isEqualTo(Map.of("generation", 1, "host", host.hostId()));
        assertThat(CountingAgent.pauses(agentId)).isEqualTo(1);
        List<ConsumerRecord<String, String>> saved = kafka.stateRecords(agentId);
        assertThat(saved).hasSize(1);
        AgentSnapshot snapshot = Json.read(saved.get(0).value(), AgentSnapshot.class);
        assertThat(snapshot.agentId()).isEqualTo(agentId);
        assertThat(snapshot.generation()).isEqualTo(1);
        assertThat(snapshot.hostId()).isEqualTo(host.hostId());
        assertThat(snapshot.state()).isEqualTo(Map.of("processed_count", 30, "total_items", 30));

        kafka.send(command(agentId, AgentAction.RESUME));

        Event resumed = kafka.awaitEvent(e -> e.type() == EventType.AGENT_RESUMED && agentId.equals(e.agentId()));
        assertThat(resumed.data()).isEqualTo(Map.of("generation", 1, "host", host.hostId(), "pauseCancelled", false));
        assertThat(CountingAgent.RESUMES.get(agentId)).containsExactly(Map.of("processed_count", 30, "total_items", 30));
        assertThat(run(agentId, items(5))).containsEntry("total_count", 35);
    }

    @Test
    void aResumeBeforeThePauseTookEffectCancelsIt() {
        String agentId = startCounting();
        Assignment gated = gatedTask(agentId);
        kafka.send(command(agentId, AgentAction.PAUSE));
        await().atMost(Duration.ofSeconds(10)).until(() -> host.agent(agentId).map(HostedAgent::isPausePending).orElse(false));

        kafka.send(command(agentId, AgentAction.RESUME));
        await().atMost(Duration.ofSeconds(10)).until(() -> !host.agent(agentId).orElseThrow().isPausePending());
        Gates.open(gated.input().get("gate").toString());

        Event resumed = kafka.awaitEvent(e -> e.type() == EventType.AGENT_RESUMED && agentId.equals(e.agentId()));
        assertThat(resumed.data()).containsEntry("pauseCancelled", true);
        assertThat(run(agentId, items(2))).containsEntry("total_count", 2);
        assertThat(CountingAgent.pauses(agentId)).isZero();
        assertThat(CountingAgent.RESUMES.get(agentId)).isNull();
        assertThat(kafka.recordedEvents(e -> e.type() == EventType.AGENT_PAUSED && agentId.equals(e.agentId()))).isEmpty();
    }

    @Test
    void aPausedAgentTakesNoAssignmentUntilItIsResumed() throws Exception {
        String agentId = startCounting();
        kafka.send(command(agentId, AgentAction.PAUSE));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_PAUSED && agentId.equals(e.agentId()));
        Assignment waiting = TestKafka.assignment(agentId, items(3));
        kafka.send(waiting);

        kafka.send(command(agentId, AgentAction.RESUME));

        Event resumed = kafka.awaitEvent(e -> e.type() == EventType.AGENT_RESUMED && agentId.equals(e.agentId()));
        Event started = kafka.awaitEvent(e -> e.type() == EventType.TASK_STARTED && waiting.taskId().equals(e.taskId()));
        assertThat(started.time()).isAfterOrEqualTo(resumed.time());
        Event completed = kafka.awaitEvent(e -> TestKafka.ended(e, "COMPLETED") && waiting.taskId().equals(e.taskId()));
        assertThat(completed.data()).containsEntry("output", Map.of("processed", 3, "total_count", 3, "stopping", false));
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.committedOffset(agentId), offset -> offset == 1);
    }

    @Test
    void stopLetsTheRunningTaskFinishWhileIsStoppingIsTrue() throws Exception {
        String agentId = startCounting();
        Assignment gated = gatedTask(agentId);

        kafka.send(command(agentId, AgentAction.STOP));
        await().atMost(Duration.ofSeconds(10)).until(() -> !host.agent(agentId).orElseThrow().isRunning());
        Gates.open(gated.input().get("gate").toString());

        Event completed = kafka.awaitEvent(e -> TestKafka.ended(e, "COMPLETED") && gated.taskId().equals(e.taskId()));
        assertThat(completed.data()).containsEntry("output", Map.of("processed", 0, "total_count", 0, "stopping", true));
        Event stopped = kafka.awaitEvent(e -> e.type() == EventType.AGENT_STOPPED && agentId.equals(e.agentId()));
        assertThat(stopped.data()).isEqualTo(Map.of("generation", 1, "host", host.hostId()));
        assertThat(CountingAgent.stops(agentId)).isEqualTo(1);
        assertThat(kafka.committedOffset(agentId)).as("the finished assignment, committed before AGENT_STOPPED").isEqualTo(1);
    }

    @Test
    void aPausedAgentCanBeStopped() {
        String agentId = startCounting();
        kafka.send(command(agentId, AgentAction.PAUSE));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_PAUSED && agentId.equals(e.agentId()));

        kafka.send(command(agentId, AgentAction.STOP));

        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STOPPED && agentId.equals(e.agentId()));
        assertThat(CountingAgent.stops(agentId)).isEqualTo(1);
    }

    @Test
    void onStopRunsAlsoWhenOnStartFails() {
        String agentId = "failing-" + UUID.randomUUID();
        kafka.send(TestKafka.command(agentId, FailingStartAgent.class.getName(), AgentAction.START));

        Event failed = kafka.awaitEvent(e -> e.type() == EventType.AGENT_FAILED && agentId.equals(e.agentId()));
        assertThat(failed.data()).isEqualTo(Map.of("generation", 1, "host", host.hostId(),
                "reason", "onStart failed: java.lang.IllegalStateException: the database is down"));
        assertThat(FailingStartAgent.STOPPED).contains(agentId);
    }

    @Test
    void aTombstoneStopsTheAgentAtOnceAndDeletesItsSavedState() {
        String agentId = startCounting();
        kafka.send(command(agentId, AgentAction.PAUSE));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_PAUSED && agentId.equals(e.agentId()));

        kafka.deregister(agentId);

        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STOPPED && agentId.equals(e.agentId()));
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.stateRecords(agentId), records -> records.size() == 2);
        List<ConsumerRecord<String, String>> state = kafka.stateRecords(agentId);
        assertThat(state.get(0).value()).isNotNull();
        assertThat(state.get(1).value()).as("tombstone").isNull();
        assertThat(state.get(1).partition()).isEqualTo(state.get(0).partition());
    }

    @Test
    void aStartOfANewGenerationReplacesTheRunningInstance() {
        String agentId = startCounting();
        assertThat(run(agentId, items(4))).containsEntry("total_count", 4);

        kafka.send(TestKafka.command(agentId, CountingAgent.class.getName(), AgentAction.START, 2, AgentLimits.NONE));

        Event stopped = kafka.awaitEvent(e -> e.type() == EventType.AGENT_STOPPED && agentId.equals(e.agentId()));
        assertThat(stopped.data()).containsEntry("generation", 1);
        Event started = kafka.awaitEvent(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId())
                && Integer.valueOf(2).equals(e.data().get("generation")));
        assertThat(started.data()).containsEntry("restored", false).containsEntry("host", host.hostId());
        assertThat(run(agentId, items(1))).containsEntry("total_count", 1);
    }

    private String startCounting() {
        String agentId = "counting-" + UUID.randomUUID();
        kafka.send(command(agentId, AgentAction.START));
        Event started = kafka.awaitEvent(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId()));
        assertThat(started.data()).isEqualTo(Map.of("generation", 1, "host", host.hostId(),
                "agentType", CountingAgent.class.getName(), "restored", false));
        return agentId;
    }

    /** Sends a task that waits for its gate and returns once it has started. */
    private Assignment gatedTask(String agentId) {
        Assignment gated = TestKafka.assignment(agentId, Map.of("gate", UUID.randomUUID().toString()));
        kafka.send(gated);
        kafka.awaitEvent(e -> e.type() == EventType.TASK_STARTED && gated.taskId().equals(e.taskId()));
        return gated;
    }

    private Map<String, Object> run(String agentId, Map<String, Object> input) {
        return kafka.run(TestKafka.assignment(agentId, input));
    }

    private static Map<String, Object> items(int count) {
        return Map.of("items", Collections.nCopies(count, 1));
    }

    private static AgentCommand command(String agentId, AgentAction action) {
        return TestKafka.command(agentId, CountingAgent.class.getName(), action);
    }
}
