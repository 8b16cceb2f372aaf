package io.miminions.intake.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Settings of the task-intake service. */
@ConfigMapping(prefix = "miminions.intake")
public interface IntakeConfig {

    /** Timeout of a task submitted without one (the seed's task_timeout_seconds). */
    @WithDefault("300")
    int taskTimeoutSeconds();

    /**
     * The most unfinished tasks (PENDING, QUEUED, ASSIGNED or RUNNING) the intake holds; one more
     * is rejected whole (the seed's max_task_queue_size).
     */
    @WithDefault("1000")
    int maxTaskQueueSize();

    /**
     * The most agents started at once, fleet-wide: running, paused, or asked to start and not yet
     * reported stopped or failed (the seed's max_concurrent_agents).
     */
    @WithDefault("50")
    int maxConcurrentAgents();

    /**
     * The most heap one agent may hold, in MiB (the seed's max_memory_per_agent_mb); sent to the
     * agent hosts with every start, which stop an agent over it as FAILED. 0 for no limit.
     */
    @WithDefault("512")
    int maxMemoryPerAgentMb();

    /**
     * The most unread messages one agent's inbox holds (the seed's message_queue_max_size); sent to
     * the agent hosts with every command, which refuse a message more to its sender. 0 for no limit.
     */
    @WithDefault("1000")
    int messageQueueMaxSize();

    /**
     * The most REST submissions in flight at once (in a round, or waiting for the next); one more is
     * answered 503 with {@code Retry-After}. A waiting submission holds no database connection, only
     * its request: the bound sheds load before answers get slow.
     */
    @WithDefault("512")
    int maxPendingSubmissions();

    /** The longest a client may wait in one {@code GET /tasks/{id}/wait} call. */
    @WithDefault("300")
    int maxWaitSeconds();

    /** Where the outbox relay keeps its Debezium offset; in a Kafka topic when absent. */
    Optional<Path> outboxOffsetFile();
}
