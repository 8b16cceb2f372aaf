package io.miminions.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.miminions.client.TaskOptions;
import io.miminions.examples.Example05RequestResponse;
import io.miminions.examples.Example06BroadcastMessages;
import io.miminions.examples.agents.MessengerAgent;
import io.miminions.localfleet.ServiceProcess;
import io.miminions.model.AgentStatus;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.FleetTopics;
import io.miminions.model.TaskStatus;
import io.miminions.model.api.TaskView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Messaging between agents on two agent-host processes over a real broker: seed examples 5 and 6
 * across hosts, the response timeout, a paused recipient, a stopped or unknown one, the inbox bound,
 * and an agent host killed while messages wait in its agent's inbox. Which host runs an agent follows
 * the control partition its id hashes to, so agents are started until they sit where a test needs
 * them. The kill comes last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MessagingEndToEndIT extends QuickFleetTest {

    private static final int INBOX_BOUND = 5;
    private static final String HOST_A = "host-a";
    private static final String HOST_B = "host-b";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static ServiceProcess hostB;

    @BeforeAll
    static void startFleet() {
        startQuickFleet("messaging", Map.of(
                "miminions.intake.message-queue-max-size", String.valueOf(INBOX_BOUND),
                "miminions.agent-host.host-id", HOST_A));
        hostB = fleet.addAgentHost(Map.of("miminions.agent-host.host-id", HOST_B));
        awaitBothHostsOwnControlPartitions();
    }

    @Test
    @Order(1)
    void exampleFiveAsksAndAnswersAcrossTwoHosts() {
        String helper = Example05RequestResponse.startHelper(runtime);
        String helperHost = runtime.getAgentStatus(helper).hostId();
        String query = startOn(otherThan(helperHost), () -> Example05RequestResponse.startQueryAgent(runtime, helper));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Example05RequestResponse.Result result = Example05RequestResponse.run(runtime, query, helper,
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        System.out.print(printed.toString(StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("Query result: {answer=4}" + System.lineSeparator());
        assertThat(result.query().output()).isEqualTo(Map.of("answer", 4));
        assertThat(result.helper().output()).isEqualTo(Map.of("queries_processed", 1));
        await().atMost(PATIENCE).untilAsserted(() -> {
            List<Event> messaging = messagingEvents(List.of(query, helper));
            Event asked = single(messaging, EventType.MESSAGE_SENT, query);
            Event answered = single(messaging, EventType.MESSAGE_SENT, helper);
            assertThat(asked.correlationId()).isNotNull().isEqualTo(answered.correlationId());
            assertThat(asked.data()).containsEntry("recipients", List.of(helper)).containsEntry("messageType", "query");
            assertThat(answered.data()).containsEntry("recipients", List.of(query)).containsEntry("messageType", "response");
            assertThat(single(messaging, EventType.MESSAGE_DELIVERED, helper).data()).containsEntry("messageId",
                    asked.data().get("messageId")).containsEntry("sender", query);
            assertThat(single(messaging, EventType.MESSAGE_DELIVERED, query).data()).containsEntry("messageId",
                    answered.data().get("messageId")).containsEntry("sender", helper);
        });
    }

    @Test
    @Order(2)
    void aQueryNobodyAnswersEndsWithNoResponseAfterItsTimeout() {
        String silentHelper = Example05RequestResponse.startHelper(runtime);
        String query = Example05RequestResponse.startQueryAgent(runtime, silentHelper);

        String task = runtime.submitTask("unanswered", Map.of("timeoutSeconds", 2), TaskOptions.builder().agentId(query).build());

        TaskView ended = runtime.waitForTask(task, PATIENCE);
        assertThat(ended.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(ended.output()).isEqualTo(Map.of("error", "No response"));
    }

    @Test
    @Order(3)
    void exampleSixReachesEveryListenerOnBothHostsOnceAndNotTheBroadcaster() {
        String broadcaster = Example06BroadcastMessages.startBroadcaster(runtime);
        List<String> listeners = new ArrayList<>();
        Set<String> hosts = new HashSet<>();
        while (listeners.size() < 3 || hosts.size() < 2) {
            String listener = Example06BroadcastMessages.startListener(runtime, listeners.size());
            listeners.add(listener);
            hosts.add(runtime.getAgentStatus(listener).hostId());
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Example06BroadcastMessages.Result result = Example06BroadcastMessages.run(runtime, broadcaster, listeners,
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        System.out.print(printed.toString(StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(listeners.size())
                .containsOnly("Listener received: 1 alerts");
        assertThat(result.listeners()).allSatisfy(task -> assertThat(task.output()).containsEntry("alerts",
                List.of(Map.of("message", "System maintenance in 5 minutes", "severity", "high"))));
        String messageId = (String) result.broadcast().output().get("messageId");
        List<String> involved = new ArrayList<>(listeners);
        involved.add(broadcaster);
        await().atMost(PATIENCE).untilAsserted(() -> {
            List<Event> deliveries = messagingEvents(involved).stream()
                    .filter(e -> e.type() == EventType.MESSAGE_DELIVERED && messageId.equals(e.data().get("messageId")))
                    .toList();
            assertThat(deliveries).extracting(Event::agentId).as("once to each listener, never to the broadcaster")
                    .containsExactlyInAnyOrderElementsOf(listeners);
        });
    }

    @Test
    @Order(4)
    void aPausedRecipientGetsItsMessagesOnceResumed() {
        String sender = startMessenger("paused-sender");
        String recipient = startMessenger("paused-recipient");
        runtime.pauseAgent(recipient);
        runtime.awaitAgentStatus(recipient, PATIENCE, AgentStatus.PAUSED);

        List<String> sent = sent(run(sender, Map.of("action", "send", "to", List.of(recipient), "count", 2)));
        String collect = runtime.submitTask("collect", Map.of("action", "collect", "count", 2),
                TaskOptions.builder().agentId(recipient).build());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> runtime.getTask(collect).status() != TaskStatus.RUNNING);
        runtime.resumeAgent(recipient);

        assertThat(received(runtime.waitForTask(collect, PATIENCE))).extracting(m -> m.get("messageId"))
                .containsExactlyElementsOf(sent);
    }

    @Test
    @Order(5)
    void sendingToAStoppedOrUnknownAgentFailsAtOnceWithTheReason() {
        String sender = startMessenger("stopped-sender");
        String stopped = startMessenger("stopped-recipient");
        assertThat(runtime.stopAgent(stopped, true).status()).isEqualTo(AgentStatus.STOPPED);
        String unknown = UUID.randomUUID().toString();

        TaskView toStopped = run(sender, Map.of("action", "send", "to", List.of(stopped)));
        TaskView toUnknown = run(sender, Map.of("action", "send", "to", List.of(unknown)));

        assertThat(toStopped.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(toStopped.error()).isEqualTo("io.miminions.sdk.MessageRejectedException: cannot send to agent " + stopped
                + ": it is STOPPED; messages go to RUNNING or PAUSED agents only");
        assertThat(toUnknown.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(toUnknown.error()).contains("cannot send to agent " + unknown + ": no such agent is running or paused");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(messagingEvents(List.of(sender)))
                .filteredOn(e -> e.type() == EventType.MESSAGE_REJECTED).extracting(e -> e.data().get("recipient"))
                .containsExactly(stopped, unknown));
    }

    @Test
    @Order(6)
    void aFullInboxRefusesTheNextMessageUntilItsAgentReads() {
        String sender = startMessenger("eager-sender");
        String recipient = startOn(otherThan(runtime.getAgentStatus(sender).hostId()), () -> startMessenger("slow-reader"));

        assertThat(sent(run(sender, Map.of("action", "send", "to", List.of(recipient), "count", INBOX_BOUND)))).hasSize(INBOX_BOUND);
        TaskView refused = run(sender, Map.of("action", "send", "to", List.of(recipient)));

        assertThat(refused.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(refused.error()).endsWith("cannot send to agent " + recipient + ": its inbox is full: " + INBOX_BOUND
                + " unread messages, messageQueueMaxSize " + INBOX_BOUND);
        assertThat(received(run(recipient, Map.of("action", "collect", "count", INBOX_BOUND)))).hasSize(INBOX_BOUND);
        assertThat(sent(run(sender, Map.of("action", "send", "to", List.of(recipient))))).hasSize(1);
    }

    @Test
    @Order(7)
    void aKilledHostsAgentGetsItsUndeliveredMessagesOnTheOtherHostAndNoneTwice() {
        String sender = startOn(HOST_A, () -> startMessenger("survivor-sender"));
        String recipient = startOn(HOST_B, () -> startMessenger("moving-recipient"));
        List<String> delivered = sent(run(sender, Map.of("action", "send", "to", List.of(recipient), "count", 3)));
        assertThat(received(run(recipient, Map.of("action", "collect", "count", 3)))).extracting(m -> m.get("messageId"))
                .containsExactlyElementsOf(delivered);
        List<String> waiting = sent(run(sender, Map.of("action", "send", "to", List.of(recipient), "count", 3)));

        hostB.kill();
        await().atMost(PATIENCE).until(() -> runtime.getAgentStatus(recipient),
                agent -> agent.status() == AgentStatus.RUNNING && HOST_A.equals(agent.hostId()));

        assertThat(received(run(recipient, Map.of("action", "collect", "count", 3)))).as("the undelivered ones, in order")
                .extracting(m -> m.get("messageId")).containsExactlyElementsOf(waiting);
        assertThat(received(run(recipient, Map.of("action", "collect", "count", 1, "timeoutSeconds", 2)))).as("nothing again")
                .isEmpty();
        List<String> all = new ArrayList<>(delivered);
        all.addAll(waiting);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(messagingEvents(List.of(recipient)))
                .filteredOn(e -> e.type() == EventType.MESSAGE_DELIVERED).extracting(e -> e.data().get("messageId"))
                .containsExactlyElementsOf(all));
    }

    private static String startMessenger(String name) {
        String agentId = runtime.registerAgent(name, MessengerAgent.class);
        runtime.startAgent(agentId);
        return agentId;
    }

    /** Starts agents with {@code start} until one runs on {@code hostId}; the others keep running. */
    private static String startOn(String hostId, Supplier<String> start) {
        for (int attempt = 0; attempt < 30; attempt++) {
            String agentId = start.get();
            if (hostId.equals(runtime.getAgentStatus(agentId).hostId())) {
                return agentId;
            }
        }
        throw new AssertionError("no agent landed on " + hostId + " in 30 starts");
    }

    private static String otherThan(String hostId) {
        return HOST_A.equals(hostId) ? HOST_B : HOST_A;
    }

    /** Runs one task on the agent and answers it as it ended. */
    private static TaskView run(String agentId, Map<String, Object> input) {
        String taskId = runtime.submitTask(String.valueOf(input.get("action")), input, TaskOptions.builder().agentId(agentId).build());
        return runtime.waitForTask(taskId, PATIENCE);
    }

    @SuppressWarnings("unchecked")
    private static List<String> sent(TaskView task) {
        assertThat(task.status()).as("task %s: %s", task.name(), task.error()).isEqualTo(TaskStatus.COMPLETED);
        return (List<String>) task.output().get("sent");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> received(TaskView task) {
        assertThat(task.status()).as("task %s: %s", task.name(), task.error()).isEqualTo(TaskStatus.COMPLETED);
        return (List<Map<String, Object>>) task.output().get("received");
    }

    private static List<Event> messagingEvents(Collection<String> agentIds) {
        return events.ofAgents(agentIds).stream().filter(e -> e.type().name().startsWith("MESSAGE_")).toList();
    }

    private static Event single(List<Event> events, EventType type, String agentId) {
        List<Event> found = events.stream().filter(e -> e.type() == type && agentId.equals(e.agentId())).toList();
        assertThat(found).as("%s of %s", type, agentId).hasSize(1);
        return found.getFirst();
    }

    /** Waits until the agent hosts' control group (named {@code agent-host}) has settled with both hosts, each owning partitions. */
    private static void awaitBothHostsOwnControlPartitions() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                fleet.infrastructure().kafkaBootstrapServers()))) {
            await().atMost(PATIENCE).until(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("agent-host")).all().get().get("agent-host");
                Set<Integer> owned = group.members().stream().map(MemberDescription::assignment)
                        .flatMap(a -> a.topicPartitions().stream()).map(p -> p.partition()).collect(Collectors.toSet());
                return group.members().size() == 2 && owned.size() == FleetTopics.CONTROL_PARTITIONS
                        && group.members().stream().noneMatch(m -> m.assignment().topicPartitions().isEmpty());
            });
        }
    }
}
