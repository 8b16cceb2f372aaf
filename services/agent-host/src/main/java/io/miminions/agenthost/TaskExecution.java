package io.miminions.agenthost;

import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.Map;

/** Runs one assignment on an agent, on the calling thread, and describes how it ended as the event to record. */
public final class TaskExecution {

    private TaskExecution() {
    }

    /**
     * Executes the task: a {@code TASK_ATTEMPT_ENDED} event with outcome COMPLETED and the output when
     * {@code execute} returns, with outcome FAILED when it throws or returns something that is not JSON.
     */
    public static Event run(Agent agent, Assignment assignment) {
        long started = System.nanoTime();
        try {
            Task task = new Task(assignment.taskId(), assignment.name(), assignment.input(), assignment.priority(),
                    assignment.attempt());
            Map<String, Object> output = JsonObjects.of(agent.execute(task), "the output");
            return HostEvents.attemptCompleted(assignment, output, (System.nanoTime() - started) / 1_000_000);
        } catch (Exception | LinkageError | StackOverflowError e) {
            return HostEvents.attemptFailed(assignment, e, (System.nanoTime() - started) / 1_000_000);
        }
    }
}
