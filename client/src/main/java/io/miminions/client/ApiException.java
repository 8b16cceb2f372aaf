package io.miminions.client;

import io.miminions.model.api.Problem;

/** The API refused a request; {@link #problem()} is its RFC 9457 answer. */
public class ApiException extends MiminionsException {

    private final Problem problem;

    public ApiException(Problem problem) {
        super(problem.status() + " " + problem.title() + ": " + problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public int status() {
        return problem.status();
    }
}
