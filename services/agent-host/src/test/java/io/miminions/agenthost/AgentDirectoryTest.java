package io.miminions.agenthost;

import static org.assertj.core.api.Assertions.assertThat;

import io.miminions.agenthost.messaging.AgentDirectory;
import io.miminions.model.AgentAction;
import io.miminions.model.AgentCommand;
import io.miminions.model.AgentLimits;
import io.miminions.model.AgentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The directory follows each agent's latest command: who may receive messages, and how many may wait for it. */
class AgentDirectoryTest {

    private final AgentDirectory directory = new AgentDirectory();

    @Test
    void eachActionLeavesTheAgentInTheStatusItAsksFor() {
        Map<AgentAction, AgentStatus> expected = Map.of(AgentAction.START, AgentStatus.RUNNING, AgentAction.RESUME,
                AgentStatus.RUNNING, AgentAction.PAUSE, AgentStatus.PAUSED, AgentAction.STOP, AgentStatus.STOPPED,
                AgentAction.STOP_NOW, AgentStatus.STOPPED);
        expected.forEach((action, status) -> {
            directory.apply("a", command("a", action, AgentLimits.NONE));
            assertThat(directory.lookup("a")).get().extracting(AgentDirectory.Entry::status).as("after %s", action).isEqualTo(status);
        });
    }

    @Test
    void onlyRunningAndPausedAgentsAreReachableAndADeregisteredOneIsUnknown() {
        directory.apply("running", command("running", AgentAction.START, AgentLimits.NONE));
        directory.apply("paused", command("paused", AgentAction.PAUSE, AgentLimits.NONE));
        directory.apply("stopped", command("stopped", AgentAction.STOP, AgentLimits.NONE));
        directory.apply("gone", command("gone", AgentAction.STOP, AgentLimits.NONE));
        directory.apply("gone", null);

        assertThat(directory.reachable()).containsExactlyInAnyOrder("running", "paused");
        assertThat(directory.lookup("stopped")).get().matches(entry -> !entry.reachable());
        assertThat(directory.lookup("gone")).isEmpty();
        assertThat(directory.lookup("never-started")).isEmpty();
    }

    @Test
    void theLatestCommandCarriesTheInboxBound() {
        directory.apply("a", command("a", AgentAction.START, new AgentLimits(0, 10)));
        directory.apply("a", command("a", AgentAction.PAUSE, new AgentLimits(0, 3)));

        assertThat(directory.lookup("a")).get().extracting(entry -> entry.limits().messageQueueMaxSize()).isEqualTo(3);
    }

    @Test
    void aSenderWaitsUntilTheCommandsWrittenBeforeItAreRead() throws Exception {
        directory.advanced(Map.of(0, 5L, 1, 2L));

        assertThat(directory.awaitRead(Map.of(0, 5L, 1, 2L), Duration.ZERO)).isTrue();
        assertThat(directory.awaitRead(Map.of(0, 6L), Duration.ofMillis(20))).isFalse();

        Thread reader = Thread.ofVirtual().start(() -> directory.advanced(Map.of(0, 6L)));
        assertThat(directory.awaitRead(Map.of(0, 6L), Duration.ofSeconds(30))).isTrue();
        reader.join();
    }

    private static AgentCommand command(String agentId, AgentAction action, AgentLimits limits) {
        return new AgentCommand(UUID.randomUUID().toString(), agentId, agentId, "HelloAgent", Map.of(), action, 1, limits,
                Instant.now());
    }
}
