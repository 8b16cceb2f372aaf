package io.miminions.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.miminions.model.api.TaskView;
import io.miminions.sdk.AgentMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records on the wire keep every field through their JSON form, old producers' records included. */
class WireRecordsTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:15:30.123456Z");

    @Test
    void anAcceptedTaskKeepsItsSubmissionNumberAndRetryPolicy() {
        AcceptedTask task = new AcceptedTask("t", "n", Map.of("a", 1), 5, List.of("d"), 30, null, NOW, 42L, 3, 2);

        assertThat(Json.read(Json.write(task), AcceptedTask.class)).isEqualTo(task);
    }

    @Test
    void anAcceptedTaskOfAnOlderProducerHasNoSubmissionNumber() {
        AcceptedTask task = Json.read("{\"taskId\":\"t\",\"name\":\"n\",\"priority\":5,\"timeoutSeconds\":30}", AcceptedTask.class);

        assertThat(task.submissionSeq()).isNull();
        assertThat(task.maxAttempts()).isNull();
        assertThat(task.dependencies()).isEmpty();
    }

    @Test
    void anAssignmentExpiresOnlyAfterItsInstant() {
        Assignment assignment = new Assignment("t", 2, "a", "n", Map.of(), 50, 30, NOW, NOW.plusSeconds(15));

        assertThat(Json.read(Json.write(assignment), Assignment.class)).isEqualTo(assignment);
        assertThat(assignment.isExpiredAt(NOW.plusSeconds(15))).isFalse();
        assertThat(assignment.isExpiredAt(NOW.plusSeconds(16))).isTrue();
        assertThat(new Assignment("t", 1, "a", "n", Map.of(), 50, 30, NOW).isExpiredAt(NOW.plusSeconds(1_000_000))).isFalse();
    }

    @Test
    void heartbeatsAndInterruptsRoundTrip() {
        HostHeartbeat heartbeat = new HostHeartbeat("h", NOW, List.of(new HostHeartbeat.AgentLease("a", "t", 1),
                new HostHeartbeat.AgentLease("b", null, 0)));
        TaskInterrupt interrupt = new TaskInterrupt("t", 1, "a", TaskReason.CANCEL_REQUESTED, NOW);

        assertThat(Json.read(Json.write(heartbeat), HostHeartbeat.class)).isEqualTo(heartbeat);
        assertThat(Json.read(Json.write(interrupt), TaskInterrupt.class)).isEqualTo(interrupt);
    }

    @Test
    void aTaskViewKeepsItsAttempt() {
        TaskView view = new TaskView("t", "n", Map.of(), 0, List.of(), 30, null, TaskStatus.RUNNING, null, null, "a", NOW, NOW,
                2, 3, NOW);

        assertThat(Json.read(Json.write(view), TaskView.class)).isEqualTo(view);
    }

    @Test
    void aMessageKeepsEveryFieldAndABroadcastHasNoRecipients() {
        AgentMessage message = new AgentMessage("m", "sender", List.of("a", "b"), "query", Map.of("question", "What is 2+2?"),
                "c", NOW);
        AgentMessage broadcast = new AgentMessage("m", "sender", null, "alert", null, null, NOW);

        assertThat(Json.read(Json.write(message), AgentMessage.class)).isEqualTo(message);
        assertThat(Json.read(Json.write(broadcast), AgentMessage.class)).isEqualTo(broadcast);
        assertThat(broadcast.recipientIds()).isEmpty();
        assertThat(broadcast.data()).isEmpty();
    }

    @Test
    void limitsOfAnOlderProducerHaveNoInboxBound() {
        AgentLimits limits = Json.read("{\"maxMemoryMb\":64}", AgentLimits.class);

        assertThat(limits).isEqualTo(new AgentLimits(64, 0));
    }
}
