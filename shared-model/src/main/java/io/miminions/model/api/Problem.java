package io.miminions.model.api;

import java.util.List;

/**
 * An RFC 9457 problem: the body of every 4xx and 5xx answer of the API
 * ({@code application/problem+json}).
 *
 * @param type       a URI naming the kind of problem ({@code urn:miminions:problem:<kind>})
 * @param violations for invalid input, each thing that is wrong with it
 * @param allowed    for a request the resource's state does not allow, the requests it does allow
 */
public record Problem(String type, String title, int status, String detail, String instance, List<String> violations,
        List<String> allowed) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(String kind, String title, int status, String detail) {
        return new Problem("urn:miminions:problem:" + kind, title, status, detail, null, List.of(), null);
    }
}
