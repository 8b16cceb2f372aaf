package io.miminions.intake.service;

import java.util.List;

/** A submission whose dependencies break the rules: unknown ids, the task itself, duplicates, a cycle. */
public class InvalidDependenciesException extends RefusedSubmissionException {

    public InvalidDependenciesException(List<String> violations) {
        super(violations);
    }
}
