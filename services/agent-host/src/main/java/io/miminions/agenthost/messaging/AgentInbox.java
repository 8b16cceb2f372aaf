package io.miminions.agenthost.messaging;

import io.miminions.model.Json;
import io.miminions.sdk.AgentMessage;
import io.miminions.sdk.ResponseTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One agent's inbox: the inbox partition of its topic, read only when the agent asks for messages.
 *
 * <p>Messages read but not handed out yet (read while waiting for a response) are held, in order,
 * for the next {@link #receive}. The committed offset moves once messages are handed to the agent,
 * and only up to the first message still held, so after a crash of this host the next one reads again
 * exactly what this agent was not given. Message ids seen recently are remembered, so a copy that
 * comes twice is handed out once.
 *
 * <p>Safe to call from any thread of the agent; calls take turns. The Kafka consumer is created on first use.
 */
public final class AgentInbox implements AutoCloseable {

    /** How many message ids an inbox remembers to drop copies that come again. */
    static final int REMEMBERED_MESSAGES = 10_000;
    /** The longest a non-blocking receive reads to collect the messages that are waiting. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(5);
    /** Longer timeouts count as this one (a year), which a deadline in nanoseconds can hold. */
    private static final Duration LONGEST_WAIT = Duration.ofDays(365);

    private static final Logger LOG = Logger.getLogger(AgentInbox.class);

    private final String agentId;
    private final TopicPartition partition;
    private final Supplier<KafkaConsumer<String, String>> consumers;
    private final Consumer<AgentMessage> onDelivered;
    private final Duration pollTimeout;
    private final ReentrantLock turn = new ReentrantLock();
    private final Deque<Held> held = new ArrayDeque<>();
    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_MESSAGES;
        }
    });
    private KafkaConsumer<String, String> consumer;
    /** The offset after the last record read; -1 before the first. */
    private long readUpTo = -1;
    private long committed = -1;
    private volatile boolean closed;

    /**
     * @param consumers   creates the consumer, in the group whose commits count the unread messages
     * @param onDelivered called for each message handed to the agent
     * @param pollTimeout the longest one poll waits, so a closed inbox is noticed soon
     */
    public AgentInbox(String agentId, TopicPartition partition, Supplier<KafkaConsumer<String, String>> consumers,
            Consumer<AgentMessage> onDelivered, Duration pollTimeout) {
        this.agentId = agentId;
        this.partition = partition;
        this.consumers = consumers;
        this.onDelivered = onDelivered;
        this.pollTimeout = pollTimeout;
    }

    /**
     * Hands out the held messages and those waiting in the partition, oldest first. With {@code block},
     * waits up to {@code timeout} for one to arrive when there is none.
     */
    public List<AgentMessage> receive(boolean block, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        turn.lock();
        try {
            open();
            long deadline = deadlineAfter(block ? timeout : Duration.ZERO);
            while (held.isEmpty() && System.nanoTime() < deadline) {
                poll(deadline);
            }
            readWaiting();
            List<AgentMessage> messages = held.stream().map(Held::message).toList();
            held.clear();
            handedOut(messages);
            return messages;
        } catch (WakeupException e) {
            throw closedInbox(e);
        } finally {
            turn.unlock();
        }
    }

    /**
     * Hands out the message with this correlation id, held or read within {@code timeout}; the others
     * read meanwhile are held for the next {@link #receive}.
     *
     * @throws ResponseTimeoutException when none came in time
     */
    public AgentMessage awaitResponse(String correlationId, Duration timeout) {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(timeout, "timeout");
        turn.lock();
        try {
            open();
            long deadline = deadlineAfter(timeout);
            AgentMessage response = takeHeld(correlationId);
            while (response == null && System.nanoTime() < deadline) {
                poll(deadline);
                response = takeHeld(correlationId);
            }
            if (response == null) {
                throw new ResponseTimeoutException(correlationId, timeout);
            }
            handedOut(List.of(response));
            return response;
        } catch (WakeupException e) {
            throw closedInbox(e);
        } finally {
            turn.unlock();
        }
    }

    /** Stops a call waiting for messages and closes the consumer; the agent has ended. */
    @Override
    public void close() {
        closed = true;
        KafkaConsumer<String, String> reading = consumer;
        if (reading != null) {
            reading.wakeup();
        }
        turn.lock();
        try {
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(5));
                consumer = null;
            }
        } finally {
            turn.unlock();
        }
    }

    private void open() {
        if (closed) {
            throw closedInbox(null);
        }
        if (consumer == null) {
            consumer = consumers.get();
            consumer.assign(List.of(partition));
        }
    }

    /** Reads until the messages that were in the partition at the call are held (at most {@link #DRAIN_LIMIT}). */
    private void readWaiting() {
        long end = consumer.endOffsets(List.of(partition)).getOrDefault(partition, 0L);
        long deadline = deadlineAfter(DRAIN_LIMIT);
        while (consumer.position(partition) < end && System.nanoTime() < deadline) {
            poll(deadline);
        }
    }

    /** One poll of at most the poll timeout, the deadline permitting; new messages join the held ones. */
    private void poll(long deadline) {
        long left = Math.max(0, deadline - System.nanoTime());
        Duration wait = Duration.ofNanos(Math.min(left, pollTimeout.toNanos()));
        for (ConsumerRecord<String, String> record : consumer.poll(wait)) {
            readUpTo = record.offset() + 1;
            AgentMessage message = read(record);
            if (message != null && seen.add(message.messageId())) {
                held.addLast(new Held(message, record.offset()));
            }
        }
    }

    private AgentMessage read(ConsumerRecord<String, String> record) {
        try {
            AgentMessage message = record.value() == null ? null : Json.read(record.value(), AgentMessage.class);
            if (message == null || message.messageId() == null) {
                throw new IllegalArgumentException("the record has no message id");
            }
            return message;
        } catch (IllegalArgumentException e) {
            LOG.warnf("agent %s: skipping the unreadable message at offset %d of %s: %s", agentId, record.offset(),
                    partition, e.getMessage());
            return null;
        }
    }

    private AgentMessage takeHeld(String correlationId) {
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held candidate = it.next();
            if (correlationId.equals(candidate.message().correlationId())) {
                it.remove();
                return candidate.message();
            }
        }
        return null;
    }

    /** Commits up to the first message still held (or all that was read), then reports the messages delivered. */
    private void handedOut(List<AgentMessage> messages) {
        long upTo = held.isEmpty() ? readUpTo : held.peekFirst().offset();
        if (upTo > committed) {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(upTo)));
            committed = upTo;
        }
        messages.forEach(onDelivered);
    }

    private IllegalStateException closedInbox(WakeupException cause) {
        return new IllegalStateException("agent " + agentId + " has stopped; its inbox is closed", cause);
    }

    private static long deadlineAfter(Duration timeout) {
        return System.nanoTime() + (timeout.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : timeout).toNanos();
    }

    /** A message read and not handed out yet, with its offset. */
    private record Held(AgentMessage message, long offset) {
    }
}
