package io.miminions.audit.rest;

import io.miminions.audit.InvalidQueryException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns exceptions into RFC 9457 answers, for every resource. */
public class ProblemMappers {

    @ServerExceptionMapper
    RestResponse<Problem> invalidQuery(InvalidQueryException e) {
        return RestResponse.ResponseBuilder.create(Response.Status.BAD_REQUEST, Problem.badRequest(e.getMessage()))
                .type(Problem.MEDIA_TYPE)
                .build();
    }
}
