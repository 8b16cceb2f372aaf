package io.miminions.agenthost;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.miminions.agenthost.testagents.BlockingAgent;
import io.miminions.agenthost.testagents.FlakyAgent;
import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.AgentAction;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Severity;
import io.miminions.model.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class AgentHostTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private TestKafka kafka;

    @BeforeEach
    void connect() {
        kafka = new TestKafka(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void isReadyOnceTheControlConsumerHasJoinedItsGroup() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
    }

    @Test
    void startsAHelloAgentAndRecordsItsTask() throws Exception {
        String agentId = "hello-" + UUID.randomUUID();
        kafka.send(TestKafka.command(agentId, "HelloAgent", AgentAction.START));

        Event started = kafka.awaitEvent(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId()));
        assertThat(started.source()).isEqualTo("agent-host");
        assertThat(started.data()).containsEntry("agentType", "HelloAgent");
        assertThat((String) started.data().get("host")).isNotBlank();

        Assignment assignment = TestKafka.assignment(agentId, Map.of("name", "Alice"));
        kafka.send(assignment);

        Event completed = kafka.awaitEvent(e -> e.type() == EventType.TASK_COMPLETED && assignment.taskId().equals(e.taskId()));
        assertThat(completed.agentId()).isEqualTo(agentId);
        assertThat(completed.data()).containsEntry("attempt", 1)
                .containsEntry("output", Map.of("greeting", "Hello, Alice!"))
                .containsKey("durationMs");
        List<ConsumerRecord<String, String>> taskRecords = kafka.recordedRecords(e -> assignment.taskId().equals(e.taskId()));
        assertThat(taskRecords).extracting(r -> TestKafka.event(r).type())
                .containsExactly(EventType.TASK_STARTED, EventType.TASK_COMPLETED);
        assertThat(taskRecords).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(assignment.taskId());
            assertThat(new String(r.headers().lastHeader(Topics.ID_HEADER).value(), StandardCharsets.UTF_8))
                    .isEqualTo(TestKafka.event(r).eventId());
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.committedOffset(agentId), offset -> offset == 1);
    }

    @Test
    void aFailingTaskIsRecordedAndTheAgentGoesOnToTheNext() {
        String agentId = "flaky-" + UUID.randomUUID();
        kafka.send(TestKafka.command(agentId, FlakyAgent.class.getName(), AgentAction.START));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId()));

        Assignment failing = TestKafka.assignment(agentId, Map.of("fail", true));
        Assignment next = TestKafka.assignment(agentId, Map.of("word", "again"));
        kafka.send(failing);
        kafka.send(next);

        Event failed = kafka.awaitEvent(e -> e.type() == EventType.TASK_FAILED && failing.taskId().equals(e.taskId()));
        assertThat(failed.severity()).isEqualTo(Severity.ERROR);
        assertThat(failed.data()).isEqualTo(Map.of("attempt", 1, "errorType", "java.lang.IllegalStateException",
                "errorMessage", "asked to fail"));
        Event completed = kafka.awaitEvent(e -> e.type() == EventType.TASK_COMPLETED && next.taskId().equals(e.taskId()));
        assertThat(completed.data()).containsEntry("output", Map.of("echo", Map.of("word", "again")));
    }

    @Test
    void anAgentTypeThatCannotBeLoadedFailsTheAgent() {
        String agentId = "missing-" + UUID.randomUUID();
        kafka.send(TestKafka.command(agentId, "com.example.MissingAgent", AgentAction.START));

        Event failed = kafka.awaitEvent(e -> e.type() == EventType.AGENT_FAILED && agentId.equals(e.agentId()));
        assertThat(failed.severity()).isEqualTo(Severity.ERROR);
        assertThat(failed.data()).isEqualTo(Map.of("reason",
                "unknown agent type com.example.MissingAgent: no such class on the classpath"));
    }

    @Test
    void anUnreadableAssignmentIsReportedAndSkipped() {
        String agentId = "hello-" + UUID.randomUUID();
        kafka.send(TestKafka.command(agentId, "HelloAgent", AgentAction.START));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId()));

        kafka.sendToAgent(agentId, "garbage", "{not json");
        Assignment next = TestKafka.assignment(agentId, Map.of());
        kafka.send(next);

        Event error = kafka.awaitEvent(e -> e.type() == EventType.SERVICE_ERROR && agentId.equals(e.agentId()));
        assertThat(error.data()).containsEntry("topic", Topics.agentTopic(agentId)).containsEntry("offset", 0);
        assertThat((String) error.data().get("reason")).startsWith("unreadable assignment: not a valid Assignment");
        Event completed = kafka.awaitEvent(e -> e.type() == EventType.TASK_COMPLETED && next.taskId().equals(e.taskId()));
        assertThat(completed.data()).containsEntry("output", Map.of("greeting", "Hello, World!"));
    }

    @Test
    void stopStopsTheAgent() {
        String agentId = "hello-" + UUID.randomUUID();
        kafka.send(TestKafka.command(agentId, "HelloAgent", AgentAction.START));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId()));

        kafka.send(TestKafka.command(agentId, "HelloAgent", AgentAction.STOP));

        Event stopped = kafka.awaitEvent(e -> e.type() == EventType.AGENT_STOPPED && agentId.equals(e.agentId()));
        assertThat((String) stopped.data().get("host")).isNotBlank();
    }

    @Test
    void stopNowCancelsTheRunningTask() {
        String agentId = "blocking-" + UUID.randomUUID();
        kafka.send(TestKafka.command(agentId, BlockingAgent.class.getName(), AgentAction.START));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId()));
        Assignment endless = TestKafka.assignment(agentId, Map.of());
        kafka.send(endless);
        kafka.awaitEvent(e -> e.type() == EventType.TASK_STARTED && endless.taskId().equals(e.taskId()));

        kafka.send(TestKafka.command(agentId, BlockingAgent.class.getName(), AgentAction.STOP_NOW));

        Event cancelled = kafka.awaitEvent(e -> e.type() == EventType.TASK_CANCELLED && endless.taskId().equals(e.taskId()));
        assertThat(cancelled.data()).isEqualTo(Map.of("attempt", 1, "reason", "the agent was stopped"));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STOPPED && agentId.equals(e.agentId()));
    }
}
