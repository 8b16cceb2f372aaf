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
 */
public final class TaskPublisher implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    public TaskPublisher(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer());
    }

    /** Publishes the submission and waits for the broker to take it; answers the task id. */
    public String publish(TaskSubmission submission) {
        String taskId = submission.taskId() != null ? submission.taskId() : UUID.randomUUID().toString();
        TaskSubmission withId = new TaskSubmission(taskId, submission.name(), submission.input(), submission.priority(),
                submission.dependencies(), submission.timeoutSeconds(), submission.agentId());
        try {
            producer.send(new ProducerRecord<>(Topics.TASKS_SUBMIT, taskId, Json.write(withId))).get();
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
