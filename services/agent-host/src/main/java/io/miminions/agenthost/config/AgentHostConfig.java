package io.miminions.agenthost.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** How this agent host runs its agents. */
@ConfigMapping(prefix = "miminions.agent-host")
public interface AgentHostConfig {

    /** The id this host gives itself in events; the hostname plus a random suffix when unset. */
    Optional<String> hostId();

    /** A directory whose jars hold agent classes besides the host's own classpath; read once at start-up. */
    Optional<Path> agentJars();

    /**
     * How long the broker may hold a fetch of an agent's inbox that finds no message
     * ({@code fetch.max.wait.ms}). Inboxes are read only while an agent waits for messages, so a short
     * wait costs little; the consumer default of 500 ms made each hop of a request/response take as long.
     */
    @WithDefault("10ms")
    Duration inboxFetchMaxWait();

    /** How long one poll of a consumer waits for records; bounds how soon an idle agent notices a stop. */
    @WithDefault("500ms")
    Duration pollTimeout();

    /**
     * How often this host tells the scheduler, on {@code miminions.heartbeats}, which agents it runs
     * and which attempt each executes; keep it a fraction of the scheduler's lease duration.
     */
    @WithDefault("3s")
    Duration heartbeatInterval();

    /** How long a hand-over or shutdown waits for an agent's running task before abandoning it. */
    @WithDefault("30s")
    Duration stopTimeout();

    /**
     * The session timeout of the control consumer (group {@code agent-host}): how long a host that
     * stopped heartbeating keeps its control partitions, hence how soon its agents move to another
     * host. The broker refuses less than its {@code group.min.session.timeout.ms} (6 s by default).
     * The consumer heartbeats every third of it.
     */
    @WithDefault("10s")
    Duration controlSessionTimeout();

    /** How often the host measures the heap each agent with a memory limit holds. */
    @WithDefault("1s")
    Duration memoryCheckInterval();
}
