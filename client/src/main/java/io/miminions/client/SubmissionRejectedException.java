package io.miminions.client;

import io.miminions.model.api.Problem;
import java.util.List;

/**
 * The fleet refused a submission as invalid (HTTP 400): it breaks the submission schema, or its
 * dependencies name unknown tasks, the task itself, a task twice, or make a cycle. Nothing was
 * stored; {@link #violations()} says what is wrong.
 */
public class SubmissionRejectedException extends ApiException {

    public SubmissionRejectedException(Problem problem) {
        super(problem);
    }

    /** Each thing wrong with the submission. */
    public List<String> violations() {
        return problem().violations() == null ? List.of() : problem().violations();
    }
}
