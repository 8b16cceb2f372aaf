package io.miminions.agenthost;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.miminions.agenthost.service.HostedAgent;
import io.miminions.agenthost.testagents.BlockingAgent;
import io.miminions.agenthost.testagents.FlakyAgent;
import io.miminions.agenthost.testagents.PatientAgent;
import io.miminions.model.AgentAction;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.HostHeartbeat;
import io.miminions.model.Severity;
import io.miminions.model.TaskInterrupt;
import io.miminions.model.TaskReason;
import io.miminions.model.Topics;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentHostTest extends HostKafkaTest {

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

        Event completed = kafka.awaitEvent(e -> TestKafka.ended(e, "COMPLETED") && assignment.taskId().equals(e.taskId()));
        assertThat(completed.agentId()).isEqualTo(agentId);
        assertThat(completed.data()).containsEntry("attempt", 1)
                .containsEntry("output", Map.of("greeting", "Hello, Alice!"))
                .containsKey("durationMs");
        List<ConsumerRecord<String, String>> taskRecords = kafka.recordedRecords(e -> assignment.taskId().equals(e.taskId()));
        assertThat(taskRecords).extracting(r -> TestKafka.event(r).type())
                .containsExactly(EventType.TASK_STARTED, EventType.TASK_ATTEMPT_ENDED);
        assertThat(taskRecords).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(assignment.taskId());
            assertThat(new String(r.headers().lastHeader(Topics.ID_HEADER).value(), StandardCharsets.UTF_8))
                    .isEqualTo(TestKafka.event(r).eventId());
            assertThat(new String(r.headers().lastHeader(Topics.TYPE_HEADER).value(), StandardCharsets.UTF_8))
                    .isEqualTo(TestKafka.event(r).type().name());
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.committedOffset(agentId), offset -> offset == 1);
    }

    @Test
    void aFailingTaskIsRecordedAndLoggedAsAWarningAndTheAgentGoesOnToTheNextWhichCompletesQuietly() {
        String agentId = "flaky-" + UUID.randomUUID();
        kafka.send(TestKafka.command(agentId, FlakyAgent.class.getName(), AgentAction.START));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId()));

        Assignment failing = TestKafka.assignment(agentId, Map.of("fail", true));
        Assignment next = TestKafka.assignment(agentId, Map.of("word", "again"));
        try (CapturedLog log = new CapturedLog(HostedAgent.class)) {
            kafka.send(failing);
            kafka.send(next);

            Event failed = kafka.awaitEvent(e -> TestKafka.ended(e, "FAILED") && failing.taskId().equals(e.taskId()));
            assertThat(failed.severity()).isEqualTo(Severity.WARNING);
            assertThat(failed.data()).containsEntry("attempt", 1).containsEntry("errorType", "java.lang.IllegalStateException")
                    .containsEntry("errorMessage", "asked to fail");
            Event completed = kafka.awaitEvent(e -> TestKafka.ended(e, "COMPLETED") && next.taskId().equals(e.taskId()));
            assertThat(completed.data()).containsEntry("output", Map.of("echo", Map.of("word", "again")));
            // the outcome is logged before it is published
            assertThat(log.messages(Level.WARNING, failing.taskId())).singleElement().asString().contains("asked to fail");
            assertThat(log.messages(Level.WARNING, next.taskId())).isEmpty();
        }
    }

    @Test
    void anAgentTypeThatCannotBeLoadedFailsTheAgent() {
        String agentId = "missing-" + UUID.randomUUID();
        kafka.send(TestKafka.command(agentId, "com.example.MissingAgent", AgentAction.START));

        Event failed = kafka.awaitEvent(e -> e.type() == EventType.AGENT_FAILED && agentId.equals(e.agentId()));
        assertThat(failed.severity()).isEqualTo(Severity.ERROR);
        assertThat(failed.data()).containsEntry("generation", 1).containsEntry("reason",
                "unknown agent type com.example.MissingAgent: no such class on the classpath");
        assertThat((String) failed.data().get("host")).isNotBlank();
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
        Event completed = kafka.awaitEvent(e -> TestKafka.ended(e, "COMPLETED") && next.taskId().equals(e.taskId()));
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

        Event cancelled = kafka.awaitEvent(e -> TestKafka.ended(e, "CANCELLED") && endless.taskId().equals(e.taskId()));
        assertThat(cancelled.data()).isEqualTo(Map.of("attempt", 1, "outcome", "CANCELLED", "reason", "the agent was stopped"));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STOPPED && agentId.equals(e.agentId()));
    }

    @Test
    void anAttemptPastItsTimeoutIsInterruptedAndTheAgentGoesOnWithTheNext() {
        String agentId = startAgent(PatientAgent.class.getName());
        Assignment slow = TestKafka.assignment(agentId, Map.of(), 1);
        Assignment next = TestKafka.assignment(agentId, Map.of("steps", 1));
        kafka.send(slow);
        kafka.send(next);

        Event timedOut = kafka.awaitEvent(e -> TestKafka.ended(e, "TIMED_OUT") && slow.taskId().equals(e.taskId()));
        assertThat(timedOut.severity()).isEqualTo(Severity.WARNING);
        assertThat(timedOut.data()).isEqualTo(Map.of("attempt", 1, "outcome", "TIMED_OUT", "timeoutSeconds", 1));
        Event completed = kafka.awaitEvent(e -> TestKafka.ended(e, "COMPLETED") && next.taskId().equals(e.taskId()));
        assertThat(completed.data()).containsEntry("output", Map.of("steps", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> PatientAgent.SAW_STOPPING.contains(slow.taskId()));
    }

    @Test
    void anInterruptStopsTheAttemptItNamesAndAnInterruptedAssignmentReadLaterIsSkipped() {
        String agentId = startAgent(PatientAgent.class.getName());
        Assignment running = TestKafka.assignment(agentId, Map.of());
        kafka.send(running);
        kafka.awaitEvent(e -> e.type() == EventType.TASK_STARTED && running.taskId().equals(e.taskId()));
        Assignment revokedEarly = TestKafka.assignment(agentId, Map.of("steps", 1));
        kafka.send(new TaskInterrupt(revokedEarly.taskId(), 1, agentId, TaskReason.CANCEL_REQUESTED, Instant.now()));
        kafka.send(new TaskInterrupt(running.taskId(), 2, agentId, TaskReason.CANCEL_REQUESTED, Instant.now()));

        kafka.send(new TaskInterrupt(running.taskId(), 1, agentId, TaskReason.CANCEL_REQUESTED, Instant.now()));

        Event cancelled = kafka.awaitEvent(e -> TestKafka.ended(e, "CANCELLED") && running.taskId().equals(e.taskId()));
        assertThat((String) cancelled.data().get("reason")).contains("CANCEL_REQUESTED");
        assertThat(PatientAgent.SAW_STOPPING).contains(running.taskId());
        kafka.send(revokedEarly);
        Assignment next = TestKafka.assignment(agentId, Map.of("steps", 1));
        kafka.send(next);
        kafka.awaitEvent(e -> TestKafka.ended(e, "COMPLETED") && next.taskId().equals(e.taskId()));
        assertThat(kafka.recordedEvents(e -> revokedEarly.taskId().equals(e.taskId()))).isEmpty();
    }

    @Test
    void anAssignmentReadAfterItsLeaseEndedOrASecondTimeIsSkipped() {
        String agentId = startAgent("HelloAgent");
        Assignment stale = new Assignment(UUID.randomUUID().toString(), 1, agentId, "stale", Map.of(), 50, 30,
                Instant.now().minusSeconds(20), Instant.now().minusSeconds(5));
        Assignment twice = TestKafka.assignment(agentId, Map.of("name", "Bob"));
        kafka.send(stale);
        kafka.send(twice);
        kafka.send(twice);
        Assignment last = TestKafka.assignment(agentId, Map.of());
        kafka.send(last);

        kafka.awaitEvent(e -> TestKafka.ended(e, "COMPLETED") && last.taskId().equals(e.taskId()));
        assertThat(kafka.recordedEvents(e -> stale.taskId().equals(e.taskId()))).isEmpty();
        assertThat(kafka.recordedEvents(e -> twice.taskId().equals(e.taskId()))).extracting(Event::type)
                .containsExactly(EventType.TASK_STARTED, EventType.TASK_ATTEMPT_ENDED);
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.committedOffset(agentId), offset -> offset == 4);
    }

    @Test
    void heartbeatsNameTheHostsAgentsAndTheAttemptEachExecutes() {
        String agentId = startAgent(PatientAgent.class.getName());
        kafka.awaitHeartbeat(h -> h.agents().contains(new HostHeartbeat.AgentLease(agentId, null, 0)));
        Assignment running = TestKafka.assignment(agentId, Map.of());
        kafka.send(running);

        HostHeartbeat heartbeat = kafka.awaitHeartbeat(h -> h.agents().contains(new HostHeartbeat.AgentLease(agentId, running.taskId(), 1)));

        assertThat(heartbeat.hostId()).isNotBlank();
        assertThat(heartbeat.sentAt()).isNotNull();
        kafka.send(new TaskInterrupt(running.taskId(), 1, agentId, TaskReason.CANCEL_REQUESTED, Instant.now()));
    }

    private String startAgent(String agentType) {
        String agentId = "agent-" + UUID.randomUUID();
        kafka.send(TestKafka.command(agentId, agentType, AgentAction.START));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId()));
        return agentId;
    }
}
