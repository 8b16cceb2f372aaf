package io.miminions.intake.service;

import io.miminions.model.TaskSubmission;
import io.miminions.model.TaskSubmissionSchema.InvalidSubmissionException;
import io.opentelemetry.context.Context;

/**
 * A record read from {@code miminions.tasks.submit}, as the intake decides on it: where it was read
 * ({@code topic/partition/offset}), its key, the trace its header names, and either the submission it
 * holds or why it holds none.
 */
public record SubmissionRecord(String origin, String key, Context trace, TaskSubmission submission,
        InvalidSubmissionException invalid) {

    /** A record holding a submission that keeps the schema. */
    public static SubmissionRecord valid(String origin, String key, Context trace, TaskSubmission submission) {
        return new SubmissionRecord(origin, key, trace, submission, null);
    }

    /** A record that is not valid JSON or breaks the schema. */
    public static SubmissionRecord invalid(String origin, String key, InvalidSubmissionException invalid) {
        return new SubmissionRecord(origin, key, Context.root(), null, invalid);
    }
}
