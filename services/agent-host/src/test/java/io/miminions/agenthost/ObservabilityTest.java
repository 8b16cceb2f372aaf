package io.miminions.agenthost;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.miminions.agenthost.service.EventPublisher;
import io.miminions.model.AgentAction;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Topics;
import io.miminions.observability.TraceHeaders;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The host's trace propagation, domain meters and Kafka readiness, against the real broker. */
@QuarkusTest
class ObservabilityTest extends HostKafkaTest {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    @Inject
    EventPublisher events;

    @Test
    void eventsPublishedWhileHandlingARecordContinueItsTrace() {
        String taskId = "traced-" + UUID.randomUUID();
        ConsumerRecord<String, String> assignment = new ConsumerRecord<>(Topics.agentTopic("a"), 0, 7, taskId, "{}");
        assignment.headers().add(TraceHeaders.TRACEPARENT,
                ("00-" + TRACE_ID + "-b7ad6b7169203331-01").getBytes(StandardCharsets.UTF_8));
        Event inTrace = Event.of(EventType.TASK_STARTED, "agent-host", "a", taskId, Map.of("attempt", 1));
        Event outside = Event.of(EventType.TASK_STARTED, "agent-host", "a", taskId, Map.of("attempt", 2));

        events.inTraceOf(assignment, () -> events.publish(inTrace).join());
        events.publish(outside).join();

        kafka.awaitEvent(e -> outside.eventId().equals(e.eventId()));
        List<ConsumerRecord<String, String>> records = kafka.recordedRecords(e -> taskId.equals(e.taskId()));
        assertThat(records).extracting(r -> TestKafka.event(r).eventId()).containsExactly(inTrace.eventId(), outside.eventId());
        assertThat(TraceHeaders.traceId(records.get(0).headers())).isEqualTo(TRACE_ID);
        assertThat(records.get(0).headers().lastHeader(TraceHeaders.TRACEPARENT).value())
                .as("a span of the host, not the record's own parent").isNotEqualTo(assignment.headers().lastHeader(TraceHeaders.TRACEPARENT).value());
        assertThat(records.get(1).headers().lastHeader(TraceHeaders.TRACEPARENT)).isNull();
    }

    @Test
    void metricsShowAttemptsByOutcomeTheirDurationMessagesAndConsumerLag() {
        String agentId = "metered-" + UUID.randomUUID();
        kafka.send(TestKafka.command(agentId, "HelloAgent", AgentAction.START));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId()));
        Assignment assignment = TestKafka.assignment(agentId, Map.of("name", "Meter"));
        kafka.send(assignment);
        kafka.awaitEvent(e -> e.type() == EventType.TASK_ATTEMPT_ENDED && assignment.taskId().equals(e.taskId()));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("miminions_agent_attempts_total{outcome=\"COMPLETED\"}"))
                .body(containsString("miminions_agent_attempt_duration_seconds_bucket{outcome=\"COMPLETED\""))
                .body(containsString("miminions_messages_total{type=\"MESSAGE_SENT\"}"))
                .body(containsString("kafka_consumer_fetch_manager_records_lag_max{"))
                .body(containsString("kafka_producer_record_send_total{")));
        String completed = given().get("/q/metrics").then().extract().asString().lines()
                .filter(line -> line.startsWith("miminions_agent_attempts_total{outcome=\"COMPLETED\"}"))
                .findFirst().orElseThrow();
        assertThat(Double.parseDouble(completed.substring(completed.lastIndexOf(' ') + 1))).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void readinessChecksTheBroker() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("kafka")));
    }
}
