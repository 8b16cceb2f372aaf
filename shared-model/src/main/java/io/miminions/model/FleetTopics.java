package io.miminions.model;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The shape of every fleet topic (partitions, clean-up policy) and the one way to create them.
 * Services call {@link #ensure(Admin, short)} at start-up; creating a topic that exists is a no-op.
 */
public final class FleetTopics {

    /** Partitions of {@link Topics#AGENTS_CONTROL}: the most agent-host pods that can share the agents. */
    public static final int CONTROL_PARTITIONS = 12;
    /** Partitions of {@link Topics#EVENTS} and {@link Topics#TASKS_SUBMIT}. */
    public static final int EVENT_PARTITIONS = 6;
    /** Partitions of each agent's topic: its assignments and its inbox ({@link Topics#AGENT_INBOX_PARTITION}). */
    public static final int AGENT_TOPIC_PARTITIONS = 2;
    /** How long {@link Topics#HEARTBEATS} and {@link Topics#TASK_INTERRUPTS} keep records: they only matter live. */
    public static final long SHORT_RETENTION_MS = 60 * 60 * 1000L;

    private FleetTopics() {
    }

    /** The fleet-wide topics, each with its partition count and configuration. */
    public static List<NewTopic> all(short replicationFactor) {
        return List.of(
                new NewTopic(Topics.TASKS_SUBMIT, EVENT_PARTITIONS, replicationFactor),
                new NewTopic(Topics.TASKS, Priorities.BANDS, replicationFactor),
                new NewTopic(Topics.AGENTS_CONTROL, CONTROL_PARTITIONS, replicationFactor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(Topics.AGENTS_STATE, CONTROL_PARTITIONS, replicationFactor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(Topics.BROADCAST, 1, replicationFactor),
                new NewTopic(Topics.EVENTS, EVENT_PARTITIONS, replicationFactor),
                new NewTopic(Topics.DLQ, 1, replicationFactor),
                new NewTopic(Topics.HEARTBEATS, 1, replicationFactor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(SHORT_RETENTION_MS))),
                new NewTopic(Topics.TASK_INTERRUPTS, 1, replicationFactor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(SHORT_RETENTION_MS))));
    }

    /**
     * The topic of one agent: its assignments on one partition and its inbox of messages on another,
     * each in order, with offsets of their own.
     */
    public static NewTopic agentTopic(String agentId, short replicationFactor) {
        return new NewTopic(Topics.agentTopic(agentId), AGENT_TOPIC_PARTITIONS, replicationFactor);
    }

    /** Creates those of the given topics that do not exist yet. */
    public static void ensure(Admin admin, List<NewTopic> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            admin.createTopics(missing).values().forEach((name, future) -> {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name, e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating topic " + name, e);
                }
            });
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        }
    }

    /** Creates the fleet-wide topics that do not exist yet. */
    public static void ensure(Admin admin, short replicationFactor) {
        ensure(admin, all(replicationFactor));
    }

}
