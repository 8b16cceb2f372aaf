package io.miminions.localfleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ServiceProcess} running {@link StandInService} from a jar built here. */
class ServiceProcessTest {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path tempDir;
    private static Path jar;

    @BeforeAll
    static void packStandIn() throws IOException {
        jar = tempDir.resolve("stand-in.jar");
        StandInService.packInto(jar);
    }

    @Test
    void awaitReadyWaitsForTheHealthCheckAndTheLogKeepsTheOutput() throws Exception {
        long began = System.nanoTime();
        try (ServiceProcess service = ServiceProcess.start("stand-in", jar, tempDir.resolve("ready"),
                Map.of("standin.ready-after-ms", "1500"))) {

            service.awaitReady(READY_TIMEOUT);

            assertThat(Duration.ofNanos(System.nanoTime() - began)).as("time until ready").isGreaterThanOrEqualTo(Duration.ofMillis(1500));
            assertThat(readiness(service.baseUri())).isEqualTo(200);
            assertThat(Files.readString(service.logFile())).contains("stand-in listening on");
        }
    }

    @Test
    void killEndsTheProcessAndRestartBringsItBackOnTheSamePort() throws Exception {
        try (ServiceProcess service = ServiceProcess.start("stand-in", jar, tempDir.resolve("restart"), Map.of())) {
            URI uri = service.awaitReady(READY_TIMEOUT).baseUri();

            service.kill();
            assertThat(service.isAlive()).isFalse();
            assertThatThrownBy(() -> readiness(uri)).isInstanceOf(IOException.class);

            service.restart();
            service.awaitReady(READY_TIMEOUT);
            assertThat(service.baseUri()).isEqualTo(uri);
            assertThat(readiness(uri)).isEqualTo(200);

            service.stop();
            assertThat(service.isAlive()).isFalse();
            assertThatThrownBy(() -> readiness(uri)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void awaitReadyFailsAtOnceWhenTheProcessExitsAndQuotesItsLog() {
        try (ServiceProcess service = ServiceProcess.start("stand-in", jar, tempDir.resolve("failing"),
                Map.of("standin.exit-code", "3"))) {
            long began = System.nanoTime();

            assertThatThrownBy(() -> service.awaitReady(READY_TIMEOUT))
                    .hasMessageContaining("stand-in exited before it was ready")
                    .hasMessageContaining("stand-in failing on purpose");
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(READY_TIMEOUT);
        }
    }

    @Test
    void servicesRunTheSerialCollectorUnlessTheJvmOptionsNameAnother() throws Exception {
        try (ServiceProcess service = ServiceProcess.start("stand-in", jar, tempDir.resolve("serial"), Map.of())) {
            service.awaitReady(READY_TIMEOUT);

            assertThat(Files.readString(service.logFile())).contains("collector Copy", "collector MarkSweepCompact");
        }
        System.setProperty("miminions.fleet.jvm-options", "-XX:+UseG1GC");
        try (ServiceProcess service = ServiceProcess.start("stand-in", jar, tempDir.resolve("g1"), Map.of())) {
            service.awaitReady(READY_TIMEOUT);

            assertThat(Files.readString(service.logFile())).contains("collector G1 Young Generation").doesNotContain("collector Copy");
        } finally {
            System.clearProperty("miminions.fleet.jvm-options");
        }
    }

    @Test
    void theProjectDirHoldsTheServicesAndTheRootPom() {
        Path project = ServiceProcess.projectDir();

        assertThat(project.resolve("services")).isDirectory();
        assertThat(project.resolve("pom.xml")).isRegularFile();
        assertThat(project.resolve("local-fleet")).isDirectory();
    }

    private static int readiness(URI baseUri) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(baseUri.resolve("/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
