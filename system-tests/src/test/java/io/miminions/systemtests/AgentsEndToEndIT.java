package io.miminions.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.miminions.client.ApiException;
import io.miminions.client.TaskOptions;
import io.miminions.examples.Example04AgentLifecycle;
import io.miminions.examples.Example08StatefulAgent;
import io.miminions.examples.Example09ResourceLimits;
import io.miminions.examples.agents.StatefulAgent;
import io.miminions.examples.agents.WorkerAgent;
import io.miminions.localfleet.ServiceProcess;
import io.miminions.model.AgentStatus;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.FleetTopics;
import io.miminions.model.TaskStatus;
import io.miminions.model.api.AgentView;
import io.miminions.model.api.TaskView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Agents through the four services running as processes, with up to three agent hosts: seed
 * examples 9, 4 and 8, saved state surviving the kill of the host that held a paused agent, and
 * placement while agent hosts are added and removed as tasks flow. The fleet allows five agents at
 * once (example 9); every test stops the agents it started.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentsEndToEndIT extends QuickFleetTest {

    private static final int MAX_AGENTS = 5;
    private static final Duration PATIENCE = Duration.ofSeconds(90);


    @BeforeAll
    static void startFleet() {
        startQuickFleet("agents", Map.of(
                "miminions.intake.max-concurrent-agents", String.valueOf(MAX_AGENTS),
                "miminions.agent-host.host-id", "host-1"));
    }

    @Test
    @Order(1)
    void exampleNineStartsFiveAgentsAndRefusesTheRest() throws Exception {
        List<String> lines = printed(out -> Example09ResourceLimits.run(runtime, out));

        assertThat(lines.getFirst()).startsWith("Limits: 5 concurrent agents");
        assertThat(lines.subList(1, lines.size())).containsExactly(
                "Started agent 0", "Started agent 1", "Started agent 2", "Started agent 3", "Started agent 4",
                "Agent 5 queued: Max concurrent agents reached", "Agent 6 queued: Max concurrent agents reached",
                "Agent 7 queued: Max concurrent agents reached", "Agent 8 queued: Max concurrent agents reached",
                "Agent 9 queued: Max concurrent agents reached");
        assertThat(runtime.listAgents(AgentStatus.RUNNING, AgentStatus.PAUSED)).as("the example stopped its agents").isEmpty();
    }

    @Test
    @Order(2)
    void exampleFourPausesAndResumesAnAgentWhoseTaskFinishesAfterTheResume() throws Exception {
        Example04AgentLifecycle.Result[] result = new Example04AgentLifecycle.Result[1];
        List<String> lines = printed(out -> result[0] = Example04AgentLifecycle.run(runtime, Duration.ofSeconds(6),
                Duration.ofSeconds(1), Duration.ofSeconds(2), out));

        assertThat(lines).containsExactly("Agent status: running", "Agent paused", "Agent resumed", "Agent stopped");
        assertThat(result[0].task().status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(result[0].task().output()).as("the pause did not interrupt it").containsEntry("status", "done");
        assertThat(result[0].stopped().status()).isEqualTo(AgentStatus.STOPPED);

        String agentId = result[0].stopped().agentId();
        runtime.deregisterAgent(agentId);
        assertThat(catchThrowableOfType(ApiException.class, () -> runtime.getAgentStatus(agentId)).status())
                .as("deregistered").isEqualTo(404);
    }

    @Test
    @Order(3)
    void exampleEightCountsThirtyFiveItemsAcrossAPause() throws Exception {
        List<String> lines = printed(out -> Example08StatefulAgent.run(runtime, out));

        assertThat(lines).containsExactly("Agent paused with state saved", "Agent resumed with state restored",
                "Total processed: 35");
    }

    @Test
    @Order(4)
    void thePausedAgentsStateSurvivesTheKillOfItsHost() {
        ServiceProcess second = fleet.addAgentHost(Map.of("miminions.agent-host.host-id", "host-2"));
        Map<String, ServiceProcess> hosts = Map.of("host-1", fleet.service("agent-host"), "host-2", second);
        String agentId = runtime.registerAgent("stateful", StatefulAgent.class);
        runtime.startAgent(agentId);
        TaskOptions forIt = TaskOptions.builder().agentId(agentId).build();
        for (int i = 0; i < 3; i++) {
            runtime.waitForTask(runtime.submitTask("batch-" + i, Map.of("items", IntStream.range(0, 10).boxed().toList()), forIt),
                    PATIENCE);
        }
        runtime.pauseAgent(agentId);
        String holder = runtime.awaitAgentStatus(agentId, PATIENCE, AgentStatus.PAUSED).hostId();
        assertThat(holder).isIn(hosts.keySet());

        hosts.get(holder).kill();
        AgentView moved = await().atMost(PATIENCE).until(() -> runtime.getAgentStatus(agentId),
                agent -> agent.hostId() != null && !agent.hostId().equals(holder));
        assertThat(moved.status()).as("still paused on its new host").isEqualTo(AgentStatus.PAUSED);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(events.ofAgents(List.of(agentId)))
                .filteredOn(e -> e.type() == EventType.AGENT_LOST)
                .as("the silent host was noticed").isNotEmpty()
                .allSatisfy(e -> assertThat(e.data()).containsEntry("host", holder)));

        runtime.resumeAgent(agentId);
        runtime.awaitAgentStatus(agentId, PATIENCE, AgentStatus.RUNNING);
        TaskView last = runtime.waitForTask(runtime.submitTask("batch-3", Map.of("items", IntStream.range(0, 5).boxed().toList()),
                forIt), PATIENCE);
        assertThat(last.output()).containsEntry("total_count", 35);

        runtime.stopAgent(agentId, true);
        if (holder.equals("host-1")) {
            hosts.get(holder).restart();
            hosts.get(holder).awaitReady(PATIENCE);
        }
        second.stop();
        assertNoAgentRanTwiceAtOnce(List.of(agentId));
    }

    @Test
    @Order(5)
    void agentsSpreadOverAddedHostsAndComeBackWhenTheyLeaveWhileEveryTaskEndsOnce() throws Exception {
        List<String> agents = agentsOnDistinctControlPartitions(MAX_AGENTS);
        agents.forEach(runtime::startAgent);
        assertThat(hostsOf(agents)).containsOnly("host-1");

        List<String> tasks = new CopyOnWriteArrayList<>();
        AtomicBoolean flowing = new AtomicBoolean(true);
        Thread submitter = Thread.ofVirtual().start(() -> {
            while (flowing.get()) {
                tasks.add(runtime.submitTask("flow-" + tasks.size(), Map.of("sleepMs", 200)));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            ServiceProcess second = fleet.addAgentHost(Map.of("miminions.agent-host.host-id", "host-2"));
            ServiceProcess third = fleet.addAgentHost(Map.of("miminions.agent-host.host-id", "host-3"));
            // Five agents on five partitions: host-1 keeps four of the twelve, so some agents must move,
            // and run tasks on an added host.
            await().atMost(PATIENCE).until(() -> hostsThatRan(agents).size() >= 2);

            third.stop();
            second.stop();
            await().atMost(PATIENCE).until(() -> hostsOf(agents).equals(Set.of("host-1")));
        } finally {
            flowing.set(false);
            submitter.join();
        }

        for (String taskId : tasks) {
            assertThat(runtime.waitForTask(taskId, PATIENCE).status()).isEqualTo(TaskStatus.COMPLETED);
        }
        await().atMost(PATIENCE).untilAsserted(() -> {
            Map<String, Long> outcomes = events.of(tasks).stream().filter(e -> e.type().endsTask())
                    .collect(Collectors.groupingBy(Event::taskId, Collectors.counting()));
            assertThat(outcomes).hasSize(tasks.size()).allSatisfy((task, count) -> assertThat(count).isEqualTo(1));
        });
        assertNoAgentRanTwiceAtOnce(agents);
        agents.forEach(agentId -> runtime.stopAgent(agentId, true));
    }

    /** Registers agents until {@code count} of them have control partitions of their own. */
    private static List<String> agentsOnDistinctControlPartitions(int count) {
        Map<Integer, String> byPartition = new HashMap<>();
        while (byPartition.size() < count) {
            String agentId = runtime.registerAgent("spread", WorkerAgent.class);
            byPartition.putIfAbsent(controlPartition(agentId), agentId);
        }
        return List.copyOf(byPartition.values());
    }

    /** The partition Kafka's default partitioner gives the agent's key on the control topic. */
    private static int controlPartition(String agentId) {
        return Utils.toPositive(Utils.murmur2(agentId.getBytes(StandardCharsets.UTF_8))) % FleetTopics.CONTROL_PARTITIONS;
    }

    private static Set<String> hostsOf(List<String> agents) {
        Set<String> hosts = new HashSet<>();
        agents.forEach(agentId -> hosts.add(runtime.getAgentStatus(agentId).hostId()));
        return hosts;
    }

    private static Set<String> hostsThatRan(List<String> agents) {
        return events.ofAgents(agents).stream().filter(e -> e.type() == EventType.TASK_STARTED)
                .map(e -> String.valueOf(e.data().get("host"))).collect(Collectors.toSet());
    }

    /**
     * From the events: an agent is on a host from the host's report that it started, paused or
     * resumed it, until the host handed it over, stopped it or it failed, or the host was reported
     * lost; and it executes a task from TASK_STARTED to that attempt's TASK_ATTEMPT_ENDED. Neither
     * span may overlap another of the same agent.
     */
    private static void assertNoAgentRanTwiceAtOnce(List<String> agents) {
        for (String agentId : agents) {
            List<Event> record = events.ofAgents(List.of(agentId));
            Map<String, Instant> onHost = new HashMap<>();
            for (Event event : record) {
                String host = (String) event.data().get("host");
                switch (event.type()) {
                    case AGENT_STARTED, AGENT_PAUSED, AGENT_RESUMED -> {
                        assertThat(onHost.keySet()).as("agent %s placed on %s at %s", agentId, host, event.time())
                                .isSubsetOf(Set.of(host));
                        onHost.putIfAbsent(host, event.time());
                    }
                    case AGENT_HANDED_OVER, AGENT_STOPPED, AGENT_FAILED, AGENT_LOST -> onHost.remove(host);
                    default -> {
                    }
                }
            }
            List<Event> attempts = record.stream()
                    .filter(e -> e.type() == EventType.TASK_STARTED || e.type() == EventType.TASK_ATTEMPT_ENDED).toList();
            Set<String> running = new HashSet<>();
            for (Event event : attempts) {
                String attempt = event.taskId() + "#" + event.data().get("attempt");
                if (event.type() == EventType.TASK_STARTED) {
                    assertThat(running).as("agent %s starts %s while it runs", agentId, attempt).isEmpty();
                    running.add(attempt);
                } else {
                    running.remove(attempt);
                }
            }
        }
    }

    /** An example's run, printing to {@code out}. */
    private interface Example {
        void run(PrintStream out) throws Exception;
    }

    private static List<String> printed(Example example) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        example.run(new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.out.print(printed.toString(StandardCharsets.UTF_8));
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
