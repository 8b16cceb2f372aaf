package io.miminions.intake;

import static io.miminions.intake.IntakeFixtures.RELAYED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.Json;
import io.miminions.model.api.Problem;
import io.miminions.model.api.TaskView;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** REST submissions beyond those in flight are shed with 503, before they touch the database. */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class SubmissionOverloadIT {

    private static final int BEYOND = 3;

    @Inject
    Pool pool;

    @TestHTTPResource("/tasks")
    URI tasksUri;

    @ConfigProperty(name = "miminions.intake.max-pending-submissions")
    int maxPending;

    /**
     * The database is made slow on purpose: the queue row is locked, so every submission waits in
     * flight until the lock is released. Resubmissions of one task are sent, so the queue does not grow.
     */
    @Test
    void submissionsBeyondThoseInFlightAreAnswered503WithRetryAfterAndTheOthersGoThrough() {
        String taskId = given().contentType("application/json").body("{\"name\":\"overload\"}").post("/tasks")
                .then().statusCode(201).extract().path("taskId");
        HttpRequest resubmission = HttpRequest.newBuilder(tasksUri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"taskId\":\"" + taskId + "\",\"name\":\"overload\"}")).build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            try (HeldQueueLock lock = new HeldQueueLock(pool)) {
                for (int i = 0; i < maxPending + BEYOND; i++) {
                    calls.add(http.sendAsync(resubmission, HttpResponse.BodyHandlers.ofString()));
                }
                await().atMost(RELAYED).until(() -> calls.stream().filter(CompletableFuture::isDone).count() == BEYOND);
                assertThat(calls.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join)).allSatisfy(answer -> {
                    assertThat(answer.statusCode()).isEqualTo(503);
                    assertThat(answer.headers().firstValue("Retry-After")).contains("1");
                    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                            .startsWith(Problem.MEDIA_TYPE));
                    assertThat(Json.read(answer.body(), Problem.class).type()).isEqualTo("urn:miminions:problem:overloaded");
                });
            }
            List<HttpResponse<String>> passed = calls.stream().map(CompletableFuture::join).filter(a -> a.statusCode() != 503).toList();
            assertThat(passed).hasSize(maxPending).allSatisfy(answer -> {
                assertThat(answer.statusCode()).isEqualTo(201);
                assertThat(Json.read(answer.body(), TaskView.class).taskId()).isEqualTo(taskId);
            });
        }
    }
}
