package io.miminions.agenthost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.agenthost.testagents.MessagingAgent;
import io.miminions.model.AgentAction;
import io.miminions.model.AgentCommand;
import io.miminions.model.AgentLimits;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import io.miminions.sdk.AgentMessage;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Messaging on one host against a real broker: delivery in order and once, holding messages while
 * waiting for a response, committing what was handed out, refusing stopped and unknown recipients
 * and full inboxes, and broadcasts. The agents are {@link MessagingAgent}s run by assignments the
 * test publishes; some messages are published straight into an inbox, as another host would.
 */
@QuarkusTest
class AgentMessagingTest extends HostKafkaTest {

    @Test
    void messagesArriveInOrderOnceEachAndAreCommittedWhenHandedOut() throws Exception {
        String sender = startAgent(AgentLimits.NONE);
        String recipient = startAgent(AgentLimits.NONE);

        List<String> sent = sent(run(sender, Map.of("action", "send", "to", List.of(recipient), "count", 3)));
        List<Map<String, Object>> received = received(run(recipient, Map.of("action", "receive", "block", true)));

        assertThat(received).extracting(m -> m.get("messageId")).containsExactlyElementsOf(sent);
        assertThat(received).extracting(m -> m.get("data")).containsExactly(Map.of("seq", 0), Map.of("seq", 1), Map.of("seq", 2));
        assertThat(received).allSatisfy(m -> assertThat(m).containsEntry("senderId", sender).containsEntry("messageType", "note"));
        assertThat(kafka.committedOffset(recipient, Topics.AGENT_INBOX_PARTITION)).isEqualTo(3);
        assertThat(received(run(recipient, Map.of("action", "receive", "block", false)))).as("nothing twice").isEmpty();

        List<Event> sentEvents = kafka.awaitEvents(e -> e.type() == EventType.MESSAGE_SENT && sender.equals(e.agentId()), 3);
        assertThat(sentEvents).extracting(e -> e.data().get("messageId")).containsExactlyElementsOf(sent);
        assertThat(sentEvents).allSatisfy(e -> assertThat(e.data()).containsEntry("recipients", List.of(recipient)));
        List<Event> delivered = kafka.awaitEvents(e -> e.type() == EventType.MESSAGE_DELIVERED && recipient.equals(e.agentId()), 3);
        assertThat(delivered).extracting(e -> e.data().get("messageId")).containsExactlyElementsOf(sent);
        assertThat(delivered).allSatisfy(e -> assertThat(e.data()).containsEntry("sender", sender));
    }

    @Test
    void waitingForAResponseHoldsTheOtherMessagesForTheNextReceiveAndCommitsOnlyBeforeThem() throws Exception {
        String agent = startAgent(AgentLimits.NONE);
        AgentMessage earlier = message("other", "earlier-request");
        AgentMessage response = message("helper", "wanted");
        AgentMessage later = message("other", null);
        kafka.sendToInbox(agent, earlier);
        kafka.sendToInbox(agent, response);
        kafka.sendToInbox(agent, earlier);
        kafka.sendToInbox(agent, later);

        Map<String, Object> answered = output(run(agent, Map.of("action", "await", "correlationId", "wanted")));

        assertThat(answered).extractingByKey("response").asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("messageId", response.messageId()).containsEntry("correlationId", "wanted");
        assertThat(kafka.committedOffset(agent, Topics.AGENT_INBOX_PARTITION)).as("up to the first message held").isZero();

        List<Map<String, Object>> received = received(run(agent, Map.of("action", "receive", "block", false)));

        assertThat(received).as("the held messages, in order, the copy of one dropped")
                .extracting(m -> m.get("messageId")).containsExactly(earlier.messageId(), later.messageId());
        assertThat(kafka.committedOffset(agent, Topics.AGENT_INBOX_PARTITION)).isEqualTo(4);
        assertThat(kafka.awaitEvents(e -> e.type() == EventType.MESSAGE_DELIVERED && agent.equals(e.agentId()), 3))
                .extracting(e -> e.data().get("messageId"))
                .containsExactly(response.messageId(), earlier.messageId(), later.messageId());
    }

    @Test
    void aResponseThatNeverComesTimesOut() {
        String agent = startAgent(AgentLimits.NONE);

        Map<String, Object> output = output(run(agent, Map.of("action", "await", "correlationId", "never", "timeoutMs", 300)));

        assertThat(output).containsEntry("timedOut", "no response with correlation id never within PT0.3S");
    }

    @Test
    void sendingToAnUnknownOrStoppedAgentFailsAtOnceAndToAPausedOneIsAccepted() {
        String sender = startAgent(AgentLimits.NONE);
        String unknown = "never-started-" + UUID.randomUUID();
        String stopped = startAgent(AgentLimits.NONE);
        kafka.send(TestKafka.command(stopped, MessagingAgent.class.getName(), AgentAction.STOP));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STOPPED && stopped.equals(e.agentId()));
        String paused = startAgent(AgentLimits.NONE);
        kafka.send(TestKafka.command(paused, MessagingAgent.class.getName(), AgentAction.PAUSE));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_PAUSED && paused.equals(e.agentId()));

        Event toUnknown = run(sender, Map.of("action", "send", "to", List.of(unknown)));
        Event toStopped = run(sender, Map.of("action", "send", "to", List.of(paused, stopped)));
        Event toPaused = run(sender, Map.of("action", "send", "to", List.of(paused)));

        assertThat(toUnknown.data()).containsEntry("outcome", "FAILED")
                .containsEntry("errorType", "io.miminions.sdk.MessageRejectedException")
                .containsEntry("errorMessage", "cannot send to agent " + unknown
                        + ": no such agent is running or paused (it was never started, or it was deregistered)");
        assertThat(toStopped.data()).containsEntry("outcome", "FAILED").containsEntry("errorMessage",
                "cannot send to agent " + stopped + ": it is STOPPED; messages go to RUNNING or PAUSED agents only");
        assertThat(sent(toPaused)).hasSize(1);
        assertThat(kafka.awaitEvents(e -> e.type() == EventType.MESSAGE_REJECTED && sender.equals(e.agentId()), 2))
                .extracting(e -> e.data().get("recipient")).containsExactly(unknown, stopped);
        kafka.send(TestKafka.command(paused, MessagingAgent.class.getName(), AgentAction.RESUME));
        assertThat(received(run(paused, Map.of("action", "receive", "block", true))))
                .as("once resumed, the paused agent gets the accepted message and nothing of the refused send").hasSize(1);
    }

    @Test
    void aFullInboxRefusesTheNextMessageUntilTheAgentReadsIt() {
        String sender = startAgent(AgentLimits.NONE);
        String bounded = startAgent(new AgentLimits(0, 2));

        assertThat(sent(run(sender, Map.of("action", "send", "to", List.of(bounded), "count", 2)))).hasSize(2);
        Event refused = run(sender, Map.of("action", "send", "to", List.of(bounded)));

        assertThat(refused.data()).containsEntry("outcome", "FAILED").containsEntry("errorMessage",
                "cannot send to agent " + bounded + ": its inbox is full: 2 unread messages, messageQueueMaxSize 2");
        assertThat(received(run(bounded, Map.of("action", "receive", "block", false)))).hasSize(2);
        assertThat(sent(run(sender, Map.of("action", "send", "to", List.of(bounded))))).hasSize(1);
    }

    @Test
    void aBroadcastReachesEveryOtherRunningOrPausedAgentOnceAndIsRecordedOnTheBroadcastTopic() {
        String broadcaster = startAgent(AgentLimits.NONE);
        List<String> listeners = List.of(startAgent(AgentLimits.NONE), startAgent(AgentLimits.NONE));
        String stopped = startAgent(AgentLimits.NONE);
        kafka.send(TestKafka.command(stopped, MessagingAgent.class.getName(), AgentAction.STOP));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STOPPED && stopped.equals(e.agentId()));

        String messageId = (String) output(run(broadcaster, Map.of("action", "broadcast", "type", "alert"))).get("messageId");

        for (String listener : listeners) {
            assertThat(received(run(listener, Map.of("action", "receive", "block", true))))
                    .singleElement().satisfies(m -> assertThat(m).containsEntry("messageId", messageId)
                            .containsEntry("senderId", broadcaster).containsEntry("messageType", "alert"));
        }
        assertThat(received(run(broadcaster, Map.of("action", "receive", "block", false)))).as("not the sender").isEmpty();
        Event sent = kafka.awaitEvent(e -> e.type() == EventType.MESSAGE_SENT && messageId.equals(e.data().get("messageId")));
        assertThat(sent.data()).containsEntry("broadcast", true);
        assertThat(recipients(sent)).containsAll(listeners).doesNotContain(broadcaster, stopped);
        try (KafkaConsumer<String, String> consumer = kafka.newConsumer(Map.of())) {
            TopicPartition partition = new TopicPartition(Topics.BROADCAST, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
                return seen.stream().anyMatch(r -> messageId.equals(Json.read(r.value(), AgentMessage.class).messageId()));
            });
            assertThat(seen).filteredOn(r -> messageId.equals(Json.read(r.value(), AgentMessage.class).messageId()))
                    .singleElement().extracting(ConsumerRecord::key).isEqualTo(broadcaster);
        }
    }

    private String startAgent(AgentLimits limits) {
        String agentId = "messaging-" + UUID.randomUUID();
        kafka.send(new AgentCommand(UUID.randomUUID().toString(), agentId, agentId + "-name", MessagingAgent.class.getName(),
                Map.of(), AgentAction.START, 1, limits, Instant.now()));
        kafka.awaitEvent(e -> e.type() == EventType.AGENT_STARTED && agentId.equals(e.agentId()));
        return agentId;
    }

    /** Runs one task on the agent and answers its TASK_ATTEMPT_ENDED event. */
    private Event run(String agentId, Map<String, Object> input) {
        Assignment assignment = TestKafka.assignment(agentId, input);
        kafka.send(assignment);
        return kafka.awaitEvent(e -> e.type() == EventType.TASK_ATTEMPT_ENDED && assignment.taskId().equals(e.taskId()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> output(Event ended) {
        assertThat(ended.data()).containsEntry("outcome", "COMPLETED");
        return (Map<String, Object>) ended.data().get("output");
    }

    @SuppressWarnings("unchecked")
    private static List<String> sent(Event ended) {
        return (List<String>) output(ended).get("sent");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> received(Event ended) {
        return (List<Map<String, Object>>) output(ended).get("received");
    }

    @SuppressWarnings("unchecked")
    private static List<String> recipients(Event sent) {
        return (List<String>) sent.data().get("recipients");
    }

    private static AgentMessage message(String senderId, String correlationId) {
        return new AgentMessage(UUID.randomUUID().toString(), senderId, List.of("x"), "note", Map.of(), correlationId, Instant.now());
    }
}
