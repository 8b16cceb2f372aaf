package io.miminions.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP side of the fleet's API clients: one base address, one HTTP client, and one way to turn
 * failures into {@link ApiUnreachableException}, {@link OverloadedException} and {@link ApiException}.
 */
final class ApiTransport {

    private final URI baseUri;
    private final HttpClient http;

    ApiTransport(URI baseUri) {
        String uri = baseUri.toString();
        this.baseUri = URI.create(uri.endsWith("/") ? uri : uri + "/");
        // HTTP/1.1: a connection per concurrent call; over HTTP/2 many concurrent calls hit the server's stream limit.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A request for {@code path}, relative to the base address. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUri.resolve(path));
    }

    /**
     * Sends the request and answers the response.
     *
     * @throws ApiUnreachableException when the service does not answer
     * @throws ApiException            when it answers with an error (its body is read as text by {@code handler})
     */
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        HttpResponse<T> response;
        try {
            response = http.send(request, handler);
        } catch (IOException e) {
            throw new ApiUnreachableException(request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MiminionsException("interrupted while calling " + request.uri(), e);
        }
        if (response.statusCode() == 503) {
            throw new OverloadedException(ApiException.problemOf(503, String.valueOf(response.body())), retryAfter(response));
        }
        if (response.statusCode() >= 400) {
            throw new ApiException(ApiException.problemOf(response.statusCode(), String.valueOf(response.body())));
        }
        return response;
    }

    /** The pause a 503 answer asks for in whole seconds ({@code Retry-After}); one second when it names none. */
    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After")
                .filter(seconds -> seconds.matches("\\d{1,6}"))
                .map(seconds -> Duration.ofSeconds(Long.parseLong(seconds)))
                .orElse(Duration.ofSeconds(1));
    }
}
