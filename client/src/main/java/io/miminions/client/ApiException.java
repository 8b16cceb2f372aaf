package io.miminions.client;

import io.miminions.model.Json;
import io.miminions.model.api.Problem;

/** The API refused a request; {@link #problem()} is its RFC 9457 answer. */
public class ApiException extends MiminionsException {

    private final Problem problem;

    public ApiException(Problem problem) {
        super(problem.status() + " " + problem.title() + ": " + problem.detail());
        this.problem = problem;
    }

    /** A refusal whose message says it better than the status and title do. */
    protected ApiException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    /** The problem an error answer carries, or one made from its status and body when it carries none. */
    static Problem problemOf(int status, String body) {
        try {
            Problem problem = Json.read(body, Problem.class);
            if (problem.status() == status) {
                return problem;
            }
        } catch (IllegalArgumentException notAProblem) {
            // fall through: the body is not problem details
        }
        return Problem.of("http-" + status, "HTTP " + status, status, body);
    }

    public Problem problem() {
        return problem;
    }

    public int status() {
        return problem.status();
    }
}
