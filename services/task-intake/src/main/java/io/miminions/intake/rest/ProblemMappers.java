package io.miminions.intake.rest;

import io.miminions.intake.service.AgentLimitReachedException;
import io.miminions.intake.service.IllegalAgentTransitionException;
import io.miminions.intake.service.IntakeOverloadedException;
import io.miminions.intake.service.InvalidDependenciesException;
import io.miminions.intake.service.InvalidRequestException;
import io.miminions.intake.service.QueueFullException;
import io.miminions.intake.service.TaskAlreadyEndedException;
import io.miminions.intake.service.UnknownResourceException;
import io.miminions.model.TaskSubmissionSchema.InvalidSubmissionException;
import io.miminions.model.api.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns failures into RFC 9457 problem details. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response invalidSubmission(InvalidSubmissionException e) {
        return invalid("invalid-submission", "Invalid task submission", e.violations());
    }

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e) {
        return invalid("invalid-request", "Invalid request", e.violations());
    }

    @ServerExceptionMapper
    public Response invalidDependencies(InvalidDependenciesException e) {
        return invalid("invalid-submission", "Invalid task submission", e.violations());
    }

    @ServerExceptionMapper
    public Response queueFull(QueueFullException e) {
        Problem problem = Problem.of("queue-full", "Queue full", 429, e.getMessage());
        return Response.status(429).type(Problem.MEDIA_TYPE).header("Retry-After", "1").entity(problem).build();
    }

    /** Too many submissions in flight: nothing was stored; the client may submit again after the pause. */
    @ServerExceptionMapper
    public Response overloaded(IntakeOverloadedException e) {
        Problem problem = Problem.of("overloaded", "Too many submissions in flight", 503, e.getMessage());
        return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "1").entity(problem).build();
    }

    @ServerExceptionMapper
    public Response alreadyEnded(TaskAlreadyEndedException e) {
        return problem(Problem.of("task-ended", "Task already ended", 409, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unknown(UnknownResourceException e) {
        return problem(Problem.of("not-found", "Not found", 404, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response illegalTransition(IllegalAgentTransitionException e) {
        return problem(new Problem("urn:miminions:problem:illegal-transition", "Illegal agent transition", 409,
                e.getMessage(), null, List.of(), e.allowed()));
    }

    @ServerExceptionMapper
    public Response agentLimit(AgentLimitReachedException e) {
        return problem(Problem.of("agent-limit", AgentLimitReachedException.MESSAGE, 409, e.getMessage()));
    }

    /** Errors the REST layer raises itself, such as a body that is not JSON or a bad query parameter. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        return problem(Problem.of("http-" + status.getStatusCode(), status.getReasonPhrase(), status.getStatusCode(),
                e.getMessage()));
    }

    private static Response invalid(String kind, String title, List<String> violations) {
        Problem problem = new Problem("urn:miminions:problem:" + kind, title, 400, String.join("; ", violations), null, violations,
                List.of());
        return problem(problem);
    }

    private static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
