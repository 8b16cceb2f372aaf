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

    /** The longest a client may wait in one {@code GET /tasks/{id}/wait} call. */
    @WithDefault("300")
    int maxWaitSeconds();

    /** Where the outbox relay keeps its Debezium offset; in a Kafka topic when absent. */
    Optional<Path> outboxOffsetFile();
}
