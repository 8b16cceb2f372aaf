package io.miminions.audit.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem details body, sent as {@code application/problem+json}.
 *
 * @param type   a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param title  a short summary of the kind of problem
 * @param status the HTTP status
 * @param detail what went wrong with this request
 */
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** A 400 answer: the request itself is wrong. */
    public static Problem badRequest(String detail) {
        return new Problem("about:blank", "Bad Request", 400, detail);
    }
}
