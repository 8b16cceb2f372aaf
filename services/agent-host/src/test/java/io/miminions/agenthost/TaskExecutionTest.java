package io.miminions.agenthost;

import static org.assertj.core.api.Assertions.assertThat;

import io.miminions.agenthost.agents.HelloAgent;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Severity;
import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskExecutionTest {

    private final Assignment assignment = new Assignment("task-1", 2, "agent-1", "greet", Map.of("name", "Alice"), 10, 30,
            Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aReturnedOutputIsACompletion() {
        Event event = TaskExecution.run(new HelloAgent(), assignment);

        assertThat(event.type()).isEqualTo(EventType.TASK_ATTEMPT_ENDED);
        assertThat(event.severity()).isEqualTo(Severity.INFO);
        assertThat(event.source()).isEqualTo("agent-host");
        assertThat(event.agentId()).isEqualTo("agent-1");
        assertThat(event.taskId()).isEqualTo("task-1");
        assertThat(event.data()).containsEntry("attempt", 2)
                .containsEntry("outcome", "COMPLETED")
                .containsEntry("output", Map.of("greeting", "Hello, Alice!"))
                .containsKey("durationMs");
        assertThat((long) event.data().get("durationMs")).isNotNegative();
    }

    @Test
    void theAgentSeesTheAssignmentAsItsTask() {
        Task[] seen = new Task[1];
        TaskExecution.run(agent(task -> {
            seen[0] = task;
            return Map.of();
        }), assignment);

        assertThat(seen[0]).isEqualTo(new Task("task-1", "greet", Map.of("name", "Alice"), 10, 2));
    }

    @Test
    void anExceptionIsAFailureNamingItsTypeAndMessage() {
        Event event = TaskExecution.run(agent(task -> {
            throw new IllegalStateException("the printer is on fire");
        }), assignment);

        assertThat(event.type()).isEqualTo(EventType.TASK_ATTEMPT_ENDED);
        assertThat(event.severity()).isEqualTo(Severity.WARNING);
        assertThat(event.taskId()).isEqualTo("task-1");
        assertThat(event.data()).containsEntry("attempt", 2).containsEntry("outcome", "FAILED")
                .containsEntry("errorType", "java.lang.IllegalStateException")
                .containsEntry("errorMessage", "the printer is on fire")
                .containsKey("durationMs");
    }

    @Test
    void anExceptionWithoutAMessageIsNamedByItsType() {
        Event event = TaskExecution.run(agent(task -> {
            throw new UnsupportedOperationException();
        }), assignment);

        assertThat(event.data()).containsEntry("errorType", "java.lang.UnsupportedOperationException")
                .containsEntry("errorMessage", "UnsupportedOperationException");
    }

    @Test
    void noOutputIsAnEmptyObject() {
        Event event = TaskExecution.run(agent(task -> null), assignment);

        assertThat(event.data()).containsEntry("outcome", "COMPLETED").containsEntry("output", Map.of());
    }

    @Test
    void anOutputThatIsNotJsonIsAFailure() {
        Event event = TaskExecution.run(agent(task -> Map.of("thread", new Object())), assignment);

        assertThat(event.data()).containsEntry("outcome", "FAILED").containsEntry("errorType", "java.lang.IllegalArgumentException");
        assertThat((String) event.data().get("errorMessage")).startsWith("the output is not JSON: ");
    }

    private interface Body {
        Map<String, Object> execute(Task task) throws Exception;
    }

    private static Agent agent(Body body) {
        return new Agent() {
            @Override
            public Map<String, Object> execute(Task task) throws Exception {
                return body.execute(task);
            }
        };
    }
}
