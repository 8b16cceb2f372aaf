package io.miminions.localfleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet with {@link StandInService} in place of the four services: a project directory of
 * stand-in fast-jars, given by {@code miminions.project.dir}.
 */
class LocalFleetTest {

    @TempDir
    Path project;

    @BeforeEach
    void standInProject() throws IOException {
        Files.createFile(project.resolve("pom.xml"));
        for (String service : LocalFleet.SERVICES) {
            StandInService.packInto(project.resolve("services").resolve(service).resolve("target/quarkus-app/quarkus-run.jar"));
        }
        System.setProperty("miminions.project.dir", project.toString());
    }

    @AfterEach
    void forgetProject() {
        System.clearProperty("miminions.project.dir");
    }

    @Test
    void aServiceSettingGoesToItsServiceOnlyAndOthersToAll() {
        Map<String, String> settings = Map.of(
                "miminions.agent-host.agent-jars", "/jars",
                "miminions.intake.max-task-queue-size", "5",
                "miminions.kafka.replication-factor", "1");

        assertThat(LocalFleet.propertiesFor("agent-host", settings))
                .containsOnlyKeys("miminions.agent-host.agent-jars", "miminions.kafka.replication-factor");
        assertThat(LocalFleet.propertiesFor("task-intake", settings))
                .containsOnlyKeys("miminions.intake.max-task-queue-size", "miminions.kafka.replication-factor");
        assertThat(LocalFleet.propertiesFor("audit", settings)).containsOnlyKeys("miminions.kafka.replication-factor");
    }

    @Test
    void takesTheServicesSettingsFromSystemProperties() {
        Properties properties = new Properties();
        properties.setProperty("miminions.intake.max-concurrent-agents", "5");
        properties.setProperty("miminions.scheduler.agent-prefetch", "3");
        properties.setProperty("miminions.project.dir", "/somewhere");
        properties.setProperty("demo.keep", "false");

        assertThat(LocalFleet.serviceSettingsOf(properties)).isEqualTo(Map.of(
                "miminions.intake.max-concurrent-agents", "5", "miminions.scheduler.agent-prefetch", "3"));
    }

    @Test
    void startsEveryServiceWithTheInfrastructureAndStopsThemAllOnClose() throws Exception {
        Path workDir = project.resolve(".fleet-local");
        Files.createDirectories(workDir);
        Files.writeString(workDir.resolve("left-over"), "from an earlier run");
        LocalFleet fleet = LocalFleet.start(workDir, Map.of("miminions.test.extra", "1"));
        List<ServiceProcess> services = LocalFleet.SERVICES.stream().map(fleet::service).toList();
        try {
            assertThat(workDir.resolve("left-over")).doesNotExist();
            assertThat(services).allMatch(ServiceProcess::isAlive);
            assertThat(services.stream().map(ServiceProcess::baseUri).distinct()).hasSize(4);
            assertThat(fleet.intakeUri()).isEqualTo(fleet.service("task-intake").baseUri());
            assertThat(fleet.auditUri()).isEqualTo(fleet.service("audit").baseUri());
            assertThat(readiness(fleet.intakeUri())).isEqualTo(200);
            assertThat(Files.readString(workDir.resolve("scheduler/scheduler.log")))
                    .contains("kafka.bootstrap.servers=" + fleet.infrastructure().kafkaBootstrapServers())
                    .contains("quarkus.datasource.reactive.url=" + fleet.infrastructure().postgresReactiveUrl())
                    .contains("quarkus.datasource.username=miminions");

            fleet.service("agent-host").kill();
            assertThat(fleet.service("agent-host").isAlive()).isFalse();
        } finally {
            fleet.close();
        }

        assertThat(services).noneMatch(ServiceProcess::isAlive);
        InetSocketAddress kafka = new InetSocketAddress("127.0.0.1",
                Integer.parseInt(fleet.infrastructure().kafkaBootstrapServers().split(":")[1]));
        assertThat(refuses(kafka)).as("Kafka port closed").isTrue();
    }

    private static int readiness(URI baseUri) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(baseUri.resolve("/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private static boolean refuses(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return false;
        } catch (ConnectException refused) {
            return true;
        }
    }
}
