package io.miminions.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.localfleet.FleetInfrastructure;
import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.AgentAction;
import io.miminions.model.AgentCommand;
import io.miminions.model.AgentStatus;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import io.miminions.model.api.AgentView;
import io.miminions.model.api.FleetLimits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent lifecycle through REST against a real broker and database: the test stands in for
 * the agent hosts, reading the commands task-intake sends and publishing the events a host would.
 * Every test stops what it started, so the concurrent-agents count starts at zero (the test
 * profile's limit is small: {@code %test.miminions.intake.max-concurrent-agents}).
 */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class AgentLifecycleIT {

    private static final Duration RELAYED = Duration.ofSeconds(60);

    /** What the API must allow in each desired status; everything else answers 409. */
    private static final Map<AgentStatus, List<String>> ALLOWED = Map.of(
            AgentStatus.REGISTERED, List.of("start", "deregister"),
            AgentStatus.RUNNING, List.of("pause", "stop"),
            AgentStatus.PAUSED, List.of("resume", "stop"),
            AgentStatus.STOPPED, List.of("start", "deregister"),
            AgentStatus.FAILED, List.of("start", "deregister"));
    private static final List<String> REQUESTS = List.of("start", "pause", "resume", "stop", "deregister");

    @ConfigProperty(name = "miminions.intake.max-concurrent-agents")
    int maxAgents;

    @ConfigProperty(name = "miminions.intake.max-memory-per-agent-mb")
    int maxMemoryMb;

    private final List<String> created = new ArrayList<>();

    @AfterEach
    void stopWhatWasStarted() {
        created.forEach(AgentLifecycleIT::stopIfStarted);
    }

    /** Stops the agent as a host would, so that it no longer counts against the limit. */
    private static void stopIfStarted(String agentId) {
        AgentView agent = view(agentId);
        if (agent != null) {
            if (agent.status() == AgentStatus.RUNNING || agent.status() == AgentStatus.PAUSED) {
                report(agentId, EventType.AGENT_STOPPED, agent);
                awaitStatus(agentId, AgentStatus.STOPPED);
            } else if (agent.desiredStatus() == AgentStatus.RUNNING || agent.desiredStatus() == AgentStatus.PAUSED) {
                request(agentId, "stop").then().statusCode(202);
            }
        }
    }

    @Test
    void everyRequestIsAllowedOrRefusedWithTheRequestsTheStatusAllows() {
        for (AgentStatus status : ALLOWED.keySet()) {
            for (String request : REQUESTS) {
                String agentId = agentIn(status);
                Response answer = request(agentId, request);
                if (ALLOWED.get(status).contains(request)) {
                    assertThat(answer.statusCode()).as("%s while %s", request, status).isIn(202, 204);
                } else {
                    assertThat(answer.statusCode()).as("%s while %s", request, status).isEqualTo(409);
                    assertThat(answer.contentType()).startsWith("application/problem+json");
                    assertThat(answer.jsonPath().getString("type")).isEqualTo("urn:miminions:problem:illegal-transition");
                    assertThat(answer.jsonPath().getList("allowed", String.class)).as("allowed while %s", status)
                            .containsExactlyElementsOf(ALLOWED.get(status));
                    assertThat(answer.jsonPath().getString("detail")).contains(status.name());
                }
                stopIfStarted(agentId);
            }
        }
    }

    @Test
    void eachRequestSendsItsCommandAndDeregisteringDeletesTheAgentsControlRecord() {
        String agentId = register();
        request(agentId, "start").then().statusCode(202);
        request(agentId, "pause").then().statusCode(202);
        request(agentId, "resume").then().statusCode(202);
        given().post("/agents/" + agentId + "/stop?graceful=false").then().statusCode(202);
        request(agentId, "start").then().statusCode(202);
        request(agentId, "stop").then().statusCode(202);
        request(agentId, "deregister").then().statusCode(204);

        try (TopicRecords control = new TopicRecords(Topics.AGENTS_CONTROL)) {
            List<ConsumerRecord<String, byte[]>> records = await().atMost(RELAYED)
                    .until(() -> control.matching(r -> agentId.equals(r.key())), found -> found.size() == 7);
            List<AgentCommand> commands = records.subList(0, 6).stream()
                    .map(r -> Json.read(TopicRecords.value(r), AgentCommand.class)).toList();
            assertThat(commands).extracting(AgentCommand::action).containsExactly(AgentAction.START, AgentAction.PAUSE,
                    AgentAction.RESUME, AgentAction.STOP_NOW, AgentAction.START, AgentAction.STOP);
            assertThat(commands).extracting(AgentCommand::generation).containsExactly(1L, 1L, 1L, 1L, 2L, 2L);
            assertThat(commands).allSatisfy(c -> assertThat(c.limits().maxMemoryMb()).isEqualTo(maxMemoryMb));
            assertThat(records.getLast().value()).as("the tombstone of a deregistered agent").isNull();
        }
        given().get("/agents/" + agentId).then().statusCode(404);
        try (TopicRecords events = new TopicRecords(Topics.EVENTS)) {
            await().atMost(RELAYED).until(() -> events.matching(r -> agentId.equals(r.key())).stream()
                    .map(r -> Json.read(TopicRecords.value(r), Event.class))
                    .anyMatch(e -> e.type() == EventType.AGENT_DEREGISTERED));
        }
    }

    @Test
    void theStatusFollowsWhatTheHostReportsAndIgnoresEarlierRuns() {
        String agentId = register();
        request(agentId, "start").then().statusCode(202);
        AgentView started = view(agentId);
        report(agentId, EventType.AGENT_STARTED, started, "host", "host-1");
        AgentView running = awaitStatus(agentId, AgentStatus.RUNNING);
        assertThat(running.hostId()).isEqualTo("host-1");
        assertThat(running.desiredStatus()).isEqualTo(AgentStatus.RUNNING);

        request(agentId, "pause").then().statusCode(202);
        assertThat(view(agentId).desiredStatus()).isEqualTo(AgentStatus.PAUSED);
        assertThat(view(agentId).status()).as("paused only once the host says so").isEqualTo(AgentStatus.RUNNING);
        report(agentId, EventType.AGENT_PAUSED, started, "host", "host-1");
        awaitStatus(agentId, AgentStatus.PAUSED);

        report(agentId, EventType.AGENT_HANDED_OVER, started, "host", "host-1");
        report(agentId, EventType.AGENT_PAUSED, started, "host", "host-2");
        await().atMost(RELAYED).until(() -> "host-2".equals(view(agentId).hostId()));

        request(agentId, "stop").then().statusCode(202);
        report(agentId, EventType.AGENT_STOPPED, started);
        awaitStatus(agentId, AgentStatus.STOPPED);

        request(agentId, "start").then().statusCode(202);
        report(agentId, EventType.AGENT_FAILED, started, "reason", "a late failure of the first run");
        AgentView restarted = view(agentId);
        report(agentId, EventType.AGENT_FAILED, restarted, "reason", "out of memory");
        AgentView failed = awaitStatus(agentId, AgentStatus.FAILED);
        assertThat(failed.reason()).isEqualTo("out of memory");
        assertThat(failed.desiredStatus()).isEqualTo(AgentStatus.FAILED);
        try (TopicRecords control = new TopicRecords(Topics.AGENTS_CONTROL)) {
            // A failure leaves STOP as the latest command: a host that takes the partition over does not start the run again.
            await().atMost(RELAYED).until(() -> {
                List<ConsumerRecord<String, byte[]>> records = control.matching(r -> agentId.equals(r.key()));
                return records.isEmpty() ? null : Json.read(TopicRecords.value(records.getLast()), AgentCommand.class);
            }, command -> command != null && command.generation() == 2 && command.action() == AgentAction.STOP);
        }
    }

    @Test
    void startingOneAgentMoreThanTheLimitFailsUntilOneStops() {
        given().get("/limits").then().statusCode(200);
        assertThat(given().get("/limits").as(FleetLimits.class).maxConcurrentAgents()).isEqualTo(maxAgents);
        List<String> agents = new ArrayList<>();
        for (int i = 0; i < maxAgents; i++) {
            agents.add(register());
            request(agents.getLast(), "start").then().statusCode(202);
        }
        String oneMore = register();
        Response refused = request(oneMore, "start");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.jsonPath().getString("title")).isEqualTo("Max concurrent agents reached");
        assertThat(refused.jsonPath().getString("type")).isEqualTo("urn:miminions:problem:agent-limit");

        String running = agents.getFirst();
        report(running, EventType.AGENT_STARTED, view(running), "host", "host-1");
        awaitStatus(running, AgentStatus.RUNNING);
        request(running, "stop").then().statusCode(202);
        assertThat(request(oneMore, "start").statusCode()).as("the stopping agent still counts").isEqualTo(409);

        report(running, EventType.AGENT_STOPPED, view(running));
        awaitStatus(running, AgentStatus.STOPPED);
        request(oneMore, "start").then().statusCode(202);
    }

    @Test
    void concurrentStartsNeverPassTheLimit() throws Exception {
        List<String> agents = new ArrayList<>();
        for (int i = 0; i < maxAgents * 3; i++) {
            agents.add(register());
        }
        List<Integer> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(agents.size())) {
            List<Future<Integer>> starts = agents.stream()
                    .map(agentId -> clients.submit(() -> request(agentId, "start").statusCode())).toList();
            for (Future<Integer> start : starts) {
                answers.add(start.get());
            }
        }
        assertThat(answers).filteredOn(code -> code == 202).hasSize(maxAgents);
        assertThat(answers).filteredOn(code -> code == 409).hasSize(agents.size() - maxAgents);
    }

    @Test
    void agentsAreListedByStatus() {
        String registered = register();
        String running = register();
        request(running, "start").then().statusCode(202);
        report(running, EventType.AGENT_STARTED, view(running), "host", "host-1");
        awaitStatus(running, AgentStatus.RUNNING);

        List<AgentView> runningAgents = List.of(given().get("/agents?status=RUNNING").as(AgentView[].class));
        assertThat(runningAgents).extracting(AgentView::agentId).contains(running).doesNotContain(registered);
        List<AgentView> all = List.of(given().get("/agents").as(AgentView[].class));
        assertThat(all).extracting(AgentView::agentId).contains(running, registered);
    }

    /** A fresh agent whose desired status is {@code status}. */
    private String agentIn(AgentStatus status) {
        String agentId = register();
        switch (status) {
            case REGISTERED -> {
            }
            case RUNNING -> request(agentId, "start").then().statusCode(202);
            case PAUSED -> {
                request(agentId, "start").then().statusCode(202);
                request(agentId, "pause").then().statusCode(202);
            }
            case STOPPED -> {
                request(agentId, "start").then().statusCode(202);
                request(agentId, "stop").then().statusCode(202);
            }
            case FAILED -> {
                request(agentId, "start").then().statusCode(202);
                report(agentId, EventType.AGENT_FAILED, view(agentId), "reason", "onStart failed");
                awaitStatus(agentId, AgentStatus.FAILED);
            }
        }
        assertThat(view(agentId).desiredStatus()).isEqualTo(status);
        return agentId;
    }

    private String register() {
        String agentId = given().contentType("application/json").body("{\"name\":\"worker\",\"agentType\":\"HelloAgent\"}")
                .post("/agents").then().statusCode(201).extract().path("agentId");
        created.add(agentId);
        return agentId;
    }

    private static Response request(String agentId, String request) {
        return request.equals("deregister") ? given().delete("/agents/" + agentId)
                : given().post("/agents/" + agentId + "/" + request);
    }

    private static AgentView view(String agentId) {
        Response answer = given().get("/agents/" + agentId);
        return answer.statusCode() == 404 ? null : answer.as(AgentView.class);
    }

    private static AgentView awaitStatus(String agentId, AgentStatus status) {
        return await().atMost(RELAYED).until(() -> view(agentId), agent -> agent.status() == status);
    }

    /** Publishes what a host would: an event of the agent's current run. */
    private static void report(String agentId, EventType type, AgentView run, Object... data) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("generation", run.generation());
        for (int i = 0; i < data.length; i += 2) {
            values.put((String) data[i], data[i + 1]);
        }
        Event event = Event.of(type, "agent-host", agentId, null, values);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", FleetInfrastructure.shared().kafkaBootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.EVENTS, agentId, Json.write(event))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
