package io.miminions.benchmark;

import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows {@code miminions.events} from its end and keeps, per task, when task-intake accepted it,
 * when the scheduler queued it, and when it started and ended (the times the services stamped on
 * their events).
 */
final class EventWatch implements AutoCloseable {

    /** What the fleet reported of one task. */
    record TaskTimes(Instant started, Instant ended, EventType outcome) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final Thread poller;
    private final Map<String, Instant> accepted = new ConcurrentHashMap<>();
    private final Map<String, Instant> queued = new ConcurrentHashMap<>();
    private final Map<String, Instant> started = new ConcurrentHashMap<>();
    private final Map<String, TaskTimes> ended = new ConcurrentHashMap<>();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private volatile boolean running = true;

    EventWatch(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
        poller = Thread.ofPlatform().name("benchmark-events").start(this::poll);
        try {
            if (!positioned.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the benchmark could not join miminions.events within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void poll() {
        consumer.subscribe(List.of(Topics.EVENTS), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                positioned.countDown();
            }
        });
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> record(Json.read(record.value(), Event.class)));
            }
        } catch (WakeupException stopping) {
            // close() woke the poll
        } finally {
            consumer.close();
        }
    }

    private void record(Event event) {
        if (event.taskId() == null || event.type() == null) {
            return;
        }
        if (event.type() == EventType.TASK_SUBMITTED) {
            accepted.putIfAbsent(event.taskId(), event.time());
        } else if (event.type() == EventType.TASK_QUEUED) {
            queued.putIfAbsent(event.taskId(), event.time());
        } else if (event.type() == EventType.TASK_STARTED) {
            started.putIfAbsent(event.taskId(), event.time());
        } else if (event.type().endsTask()) {
            ended.putIfAbsent(event.taskId(), new TaskTimes(started.get(event.taskId()), event.time(), event.type()));
        }
    }

    /** When task-intake accepted the task (its TASK_SUBMITTED event), or null. */
    Instant acceptedAt(String taskId) {
        return accepted.get(taskId);
    }

    /** When the scheduler first queued the task, or null. */
    Instant queuedAt(String taskId) {
        return queued.get(taskId);
    }

    boolean isQueued(String taskId) {
        return queued.containsKey(taskId);
    }

    Instant startedAt(String taskId) {
        return started.get(taskId);
    }

    TaskTimes endOf(String taskId) {
        return ended.get(taskId);
    }

    /** Waits until every task ended; answers how many did when {@code timeout} passed. */
    int awaitEnded(Collection<String> taskIds, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int done;
        while ((done = (int) taskIds.stream().filter(ended::containsKey).count()) < taskIds.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return done;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        poller.join(10_000);
    }
}
