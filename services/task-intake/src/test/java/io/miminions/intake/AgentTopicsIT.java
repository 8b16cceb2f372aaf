package io.miminions.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.localfleet.FleetInfrastructure;
import io.miminions.localfleet.testing.FleetTestResource;
import io.miminions.model.AgentCommand;
import io.miminions.model.FleetTopics;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import io.miminions.model.api.FleetLimits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Each agent's topic (assignments and inbox) lives from its registration to its deregistration; its inbox bound travels with its commands. */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class AgentTopicsIT {

    @ConfigProperty(name = "miminions.intake.message-queue-max-size")
    int messageQueueMaxSize;

    @Test
    void registeringCreatesTheAgentsTopicWithItsInboxAndDeregisteringDeletesIt() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                FleetInfrastructure.shared().kafkaBootstrapServers()))) {
            String agentId = given().contentType("application/json").body("{\"name\":\"inbox\",\"agentType\":\"HelloAgent\"}")
                    .post("/agents").then().statusCode(201).extract().path("agentId");

            String topic = Topics.agentTopic(agentId);
            assertThat(admin.listTopics().names().get()).as("created before the registration was answered").contains(topic);
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions()).hasSize(FleetTopics.AGENT_TOPIC_PARTITIONS)
                    .hasSizeGreaterThan(Topics.AGENT_INBOX_PARTITION);

            given().delete("/agents/" + agentId).then().statusCode(204);

            await().atMost(Duration.ofSeconds(30)).until(() -> admin.listTopics().names().get(), names -> !names.contains(topic));
        }
    }

    @Test
    void theInboxBoundIsAFleetLimitAndTravelsWithEveryCommand() {
        assertThat(messageQueueMaxSize).as("the default bound").isEqualTo(1000);
        assertThat(given().get("/limits").as(FleetLimits.class).messageQueueMaxSize()).isEqualTo(messageQueueMaxSize);
        String agentId = given().contentType("application/json").body("{\"name\":\"bounded\",\"agentType\":\"HelloAgent\"}")
                .post("/agents").then().statusCode(201).extract().path("agentId");
        given().post("/agents/" + agentId + "/start").then().statusCode(202);
        given().post("/agents/" + agentId + "/stop").then().statusCode(202);

        try (TopicRecords control = new TopicRecords(Topics.AGENTS_CONTROL)) {
            List<ConsumerRecord<String, byte[]>> commands = await().atMost(Duration.ofSeconds(60))
                    .until(() -> control.matching(r -> agentId.equals(r.key())), found -> found.size() == 2);
            assertThat(commands).extracting(r -> Json.read(TopicRecords.value(r), AgentCommand.class).limits().messageQueueMaxSize())
                    .containsOnly(messageQueueMaxSize);
        }
    }
}
