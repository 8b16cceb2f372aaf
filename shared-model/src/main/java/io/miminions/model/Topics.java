package io.miminions.model;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The Kafka topics of the fleet. Topic names live here and nowhere else; services map their
 * channels to these names in configuration.
 */
public final class Topics {

    /** Task submissions published by clients straight to Kafka. Key: the task id, or none. */
    public static final String TASKS_SUBMIT = "miminions.tasks.submit";

    /** Accepted tasks. Key: task id; partition: the priority band ({@link Priorities#partitionOf}). */
    public static final String TASKS = "miminions.tasks";

    /** Agent lifecycle commands. Key: agent id; the owner of a partition hosts the agents keyed to it. */
    public static final String AGENTS_CONTROL = "miminions.agents.control";

    /**
     * The state each agent saved when it was last paused or handed over ({@link AgentSnapshot}).
     * Compacted; key: agent id, and as many partitions as {@link #AGENTS_CONTROL}, so the host that
     * owns an agent's control partition finds its state in the partition of the same number.
     */
    public static final String AGENTS_STATE = "miminions.agents.state";

    /**
     * The fleet's record of every broadcast: one {@code AgentMessage} per broadcast, key the sending
     * agent's id. The copies that reach the agents go to their inboxes ({@link #AGENT_INBOX_PARTITION}).
     */
    public static final String BROADCAST = "miminions.broadcast";

    /** Every event of the fleet. Key: the task id, else the agent id, so one task's events stay in order. */
    public static final String EVENTS = "miminions.events";

    /**
     * Liveness of the agent hosts: each host publishes a {@link HostHeartbeat} naming its agents and
     * the attempt each one executes; the scheduler renews their leases from it. Key: the host id.
     */
    public static final String HEARTBEATS = "miminions.heartbeats";

    /**
     * Orders to stop executing one attempt ({@link TaskInterrupt}): from the scheduler to every
     * agent host, when a running task is cancelled, times out or loses its lease. Key: the task id.
     */
    public static final String TASK_INTERRUPTS = "miminions.tasks.interrupt";

    /** Records that could not be accepted, with their original bytes and the reason in headers. */
    public static final String DLQ = "miminions.dlq";

    /** Prefix of the per-agent topics: assignments and direct messages for one agent. */
    public static final String AGENT_TOPIC_PREFIX = "miminions.agent.";

    /** The partition of an agent's topic that carries its {@link Assignment}s. Key: the task id. */
    public static final int AGENT_ASSIGNMENTS_PARTITION = 0;

    /**
     * The partition of an agent's topic that is its inbox of messages ({@code AgentMessage}). Key: the
     * sender's id. Apart from the assignments, so that unread messages never hold back their offsets.
     */
    public static final int AGENT_INBOX_PARTITION = 1;

    /** Header on {@link #DLQ} records: why the record was rejected. */
    public static final String DLQ_REASON_HEADER = "dead-letter-reason";
    /** Header on {@link #DLQ} records: the topic the record was read from. */
    public static final String DLQ_TOPIC_HEADER = "dead-letter-topic";
    /** Header on {@link #DLQ} records: the partition the record was read from. */
    public static final String DLQ_PARTITION_HEADER = "dead-letter-partition";
    /** Header on {@link #DLQ} records: the offset the record was read from. */
    public static final String DLQ_OFFSET_HEADER = "dead-letter-offset";

    /** Header on every record the fleet produces: the id of the event or record, for deduplication. */
    public static final String ID_HEADER = "miminions.id";

    /**
     * Header on every record of {@link #EVENTS}: the event's type, so that a consumer can pass over
     * the events it does not use without parsing them. A record without it is parsed.
     */
    public static final String TYPE_HEADER = "miminions.type";

    private Topics() {
    }

    /**
     * The topic that carries assignments ({@link #AGENT_ASSIGNMENTS_PARTITION}) and messages
     * ({@link #AGENT_INBOX_PARTITION}) for one agent: {@code miminions.agent.<agentId>}.
     */
    public static String agentTopic(String agentId) {
        return AGENT_TOPIC_PREFIX + agentId;
    }

    /**
     * Whether a consumer of {@link #EVENTS} that uses only the types {@code uses} accepts can pass over
     * a record with these headers unparsed: its {@link #TYPE_HEADER} names another type, or a type this
     * version does not know. A record without the header is not passed over.
     */
    public static boolean passesOver(Headers headers, Predicate<EventType> uses) {
        Header type = headers.lastHeader(TYPE_HEADER);
        if (type == null) {
            return false;
        }
        try {
            return !uses.test(EventType.valueOf(new String(type.value(), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException unknownType) {
            return true;
        }
    }
}
