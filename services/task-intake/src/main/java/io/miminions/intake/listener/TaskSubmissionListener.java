package io.miminions.intake.listener;

import io.miminions.intake.service.SubmissionRecord;
import io.miminions.intake.service.SubmissionVerdict;
import io.miminions.intake.service.TaskIntake;
import io.miminions.model.TaskSubmissionSchema;
import io.miminions.model.TaskSubmissionSchema.InvalidSubmissionException;
import io.miminions.observability.TraceHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Accepts task submissions that clients publish straight to {@code miminions.tasks.submit}, one
 * polled batch at a time, in one transaction ({@link TaskIntake#submitAll}). A record that is not
 * valid JSON, breaks the schema, names dependencies the intake does not accept or arrives while the
 * queue is full leaves a TASK_REJECTED event and is parked, with its original bytes and the reason in
 * the {@code dead-letter-reason} header, in {@code miminions.dlq}; the others of its batch are
 * accepted.
 *
 * <p>The connector's dead-letter failure strategy parks the whole batch or nothing, so the refused
 * records are parked by {@link DeadLetters}, a producer of this service (acks=all): after the
 * transaction has committed and before the batch is acknowledged. The batch's offsets are committed
 * only after that, so a crash in between reads the batch again: its accepted tasks are then
 * resubmissions, which change nothing, and its TASK_REJECTED events keep their ids. While the database
 * is unreachable the batch is retried, never parked; while Kafka refuses the dead-letter records their
 * parking is retried.
 *
 * <p>Dependencies are checked against the tasks accepted when the record is read (and those accepted
 * before it in its batch): records of one client land on different partitions (the key is the task
 * id), so publish a dependant once its dependencies are accepted, or give related records one key so
 * that they keep their order.
 *
 * <p>A record's {@code traceparent} header, if the client set one, becomes the parent of the task's trace.
 */
@ApplicationScoped
public class TaskSubmissionListener {

    private final TaskIntake intake;
    private final DeadLetters deadLetters;

    TaskSubmissionListener(TaskIntake intake, DeadLetters deadLetters) {
        this.intake = intake;
        this.deadLetters = deadLetters;
    }

    /** Decides on the batch, parks its refused records, and completes; the connector then acknowledges the batch. */
    @Incoming("task-submissions")
    public Uni<Void> accept(ConsumerRecords<String, byte[]> batch) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(batch.count());
        batch.forEach(records::add);
        List<SubmissionRecord> submissions = records.stream().map(TaskSubmissionListener::submissionOf).toList();
        return UntilDone.retry("store " + records.size() + " submissions", () -> intake.submitAll(submissions))
                .chain(verdicts -> parkRefused(records, verdicts));
    }

    private Uni<Void> parkRefused(List<ConsumerRecord<String, byte[]>> records, List<SubmissionVerdict> verdicts) {
        List<Uni<Void>> parked = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (verdicts.get(i) instanceof SubmissionVerdict.Refused refused) {
                ConsumerRecord<String, byte[]> record = records.get(i);
                parked.add(UntilDone.retry("park " + origin(record), () -> deadLetters.park(record, refused.reason())));
            }
        }
        return parked.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(parked).andFailFast().replaceWithVoid();
    }

    private static SubmissionRecord submissionOf(ConsumerRecord<String, byte[]> record) {
        try {
            return SubmissionRecord.valid(origin(record), record.key(), TraceHeaders.extract(record.headers()),
                    TaskSubmissionSchema.parse(record.value() == null ? new byte[0] : record.value()));
        } catch (InvalidSubmissionException invalid) {
            return SubmissionRecord.invalid(origin(record), record.key(), invalid);
        }
    }

    private static String origin(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "/" + record.offset();
    }
}
