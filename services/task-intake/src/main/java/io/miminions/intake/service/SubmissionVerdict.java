package io.miminions.intake.service;

import io.miminions.model.api.TaskView;
import java.util.List;

/** What became of one submission; {@link TaskIntake#submitAll} answers one per record of a batch. */
public sealed interface SubmissionVerdict {

    /** Stored, numbered and written to the outbox with its TASK_SUBMITTED event. */
    record Accepted(TaskView task) implements SubmissionVerdict {
    }

    /** Its task id was accepted before: nothing changed (submissions are idempotent on their id). */
    record Resubmitted(String taskId) implements SubmissionVerdict {
    }

    /**
     * Refused whole: nothing of it is stored; a TASK_REJECTED event says why.
     *
     * @param reason     what refused it: the schema, the dependency rules or the queue limit
     * @param violations each reason, as the event and the dead-letter record give them
     */
    record Refused(RuntimeException reason, List<String> violations) implements SubmissionVerdict {
    }
}
