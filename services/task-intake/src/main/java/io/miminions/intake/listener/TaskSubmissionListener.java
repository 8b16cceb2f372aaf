package io.miminions.intake.listener;

import io.miminions.intake.service.RefusedSubmissionException;
import io.miminions.intake.service.TaskIntake;
import io.miminions.model.TaskSubmission;
import io.miminions.model.TaskSubmissionSchema;
import io.miminions.model.TaskSubmissionSchema.InvalidSubmissionException;
import io.miminions.observability.TraceHeaders;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Accepts task submissions that clients publish straight to {@code miminions.tasks.submit}. A
 * record that is not valid JSON, breaks the schema, names dependencies the intake does not accept
 * or arrives while the queue is full leaves a TASK_REJECTED event and is parked, with its original
 * bytes and the reason in the {@code dead-letter-reason} header, in {@code miminions.dlq}; the
 * consumer goes on with the next record. A valid record is acknowledged only once stored; while the
 * database is unreachable it is retried, never parked.
 *
 * <p>Dependencies are checked against the tasks accepted when the record is read: records of one
 * client land on different partitions (the key is the task id), so publish a dependant once its
 * dependencies are accepted, or give related records one key so that they keep their order.
 *
 * <p>A record's {@code traceparent} header, if the client set one, becomes the parent of the task's trace.
 */
@ApplicationScoped
public class TaskSubmissionListener {

    private static final Duration RETRY_FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration RETRY_MAX_PAUSE = Duration.ofSeconds(5);

    private final TaskIntake intake;

    TaskSubmissionListener(TaskIntake intake) {
        this.intake = intake;
    }

    @Incoming("task-submissions")
    public Uni<Void> accept(Message<byte[]> message) {
        TaskSubmission submission;
        try {
            submission = TaskSubmissionSchema.parse(message.getPayload() == null ? new byte[0] : message.getPayload());
        } catch (InvalidSubmissionException invalid) {
            return intake.reject(origin(message), keyOf(message), invalid.violations())
                    .chain(() -> Uni.createFrom().completionStage(message.nack(invalid)));
        }
        return intake.submit(submission, traceOf(message))
                .onFailure(failure -> !(failure instanceof RefusedSubmissionException))
                .retry().withBackOff(RETRY_FIRST_PAUSE, RETRY_MAX_PAUSE).indefinitely()
                .onItemOrFailure().transformToUni((accepted, failure) -> failure == null
                        ? Uni.createFrom().completionStage(message.ack())
                        : intake.reject(origin(message), keyOf(message), ((RefusedSubmissionException) failure).violations())
                                .chain(() -> Uni.createFrom().completionStage(message.nack(failure))));
    }

    private static String origin(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "/" + m.getPartition() + "/" + m.getOffset())
                .orElseThrow(() -> new IllegalStateException("a submission without Kafka metadata"));
    }

    private static Context traceOf(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> TraceHeaders.extract(m.getHeaders()))
                .orElse(Context.root());
    }

    private static String keyOf(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getKey() == null ? null : m.getKey().toString())
                .orElse(null);
    }
}
