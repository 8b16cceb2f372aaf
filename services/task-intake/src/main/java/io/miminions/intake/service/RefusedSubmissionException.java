package io.miminions.intake.service;

import java.util.List;

/**
 * A submission the intake refuses as a whole: nothing of it is stored. REST answers it with a
 * problem; a record from Kafka gets a TASK_REJECTED event and is parked in the dead-letter topic.
 */
public abstract class RefusedSubmissionException extends RuntimeException {

    private final List<String> violations;

    protected RefusedSubmissionException(List<String> violations) {
        super(String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    /** Each reason the submission was refused for. */
    public List<String> violations() {
        return violations;
    }
}
