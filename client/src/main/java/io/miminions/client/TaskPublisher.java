package io.miminions.client;

import io.miminions.model.Json;
import io.miminions.model.TaskSubmission;
import io.miminions.model.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Submits tasks by publishing them straight to {@link Topics#TASKS_SUBMIT}, without the REST API.
 * Each submission gets a task id here (unless it has one), so the caller can wait for it through
 * {@link MiminionsClient#waitForTask}. Any Kafka producer can do the same: the record value is the
 * submission's JSON (schema {@code schemas/task-submission.schema.json}), the key its task id.
 *
 * <p>The intake checks dependencies against the tasks it has accepted when it reads the record, and
 * records with different keys may be read in any order. Publish a dependant once its dependencies are
 * accepted ({@link MiminionsClient#getTask} answers them), or publish related tasks under one key with
 * {@link #publish(TaskSubmission, String)}, so that they are read in the order they were published.
 */
public final class TaskPublisher implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    public TaskPublisher(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer());
    }

    /** Publishes the submission, keyed by its task id, and waits for the broker to take it; answers the task id. */
    public String publish(TaskSubmission submission) {
        return publish(submission, null);
    }

    /**
     * Publishes the submission under {@code key} (its task id when null) and waits for the broker to
     * take it; answers the task id. Records with one key are read in the order they were published.
     */
    public String publish(TaskSubmission submission, String key) {
        String taskId = submission.taskId() != null ? submission.taskId() : UUID.randomUUID().toString();
        TaskSubmission withId = submission.withTaskId(taskId);
        try {
            producer.send(new ProducerRecord<>(Topics.TASKS_SUBMIT, key != null ? key : taskId, Json.write(withId))).get();
        } catch (ExecutionException e) {
            throw new MiminionsException("Kafka did not take task " + taskId + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MiminionsException("interrupted while publishing task " + taskId, e);
        }
        return taskId;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
