package io.miminions.intake.repository;

import io.miminions.model.Json;
import io.miminions.model.TaskStatus;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The queries behind accepting a task, each in the caller's transaction: the submission lock, the
 * unfinished count, the submission sequence and the dependency checks.
 */
@ApplicationScoped
public class IntakeTasks {

    /** The statuses of a task that has not ended: those count against the queue limit. */
    public static final Set<TaskStatus> UNFINISHED =
            EnumSet.of(TaskStatus.PENDING, TaskStatus.QUEUED, TaskStatus.ASSIGNED, TaskStatus.RUNNING);

    /** The key of the transaction-scoped advisory lock every submission takes (any number unique in the database). */
    static final long SUBMISSION_LOCK = 0x6d696d696e696f6eL;

    private static final String CYCLE = """
            WITH RECURSIVE reach(task_id, via) AS (
                SELECT d.id, d.id FROM jsonb_array_elements_text(CAST(CAST(:dependencies AS text) AS jsonb)) AS d(id)
              UNION
                SELECT w.dependency, r.via
                FROM reach r
                JOIN intake.tasks t ON t.task_id = r.task_id AND t.status = 'PENDING'
                CROSS JOIN LATERAL unnest(t.dependencies) AS w(dependency)
            )
            SELECT via FROM reach WHERE task_id = :taskId LIMIT 1""";

    private final Pool pool;

    public IntakeTasks(Pool pool) {
        this.pool = pool;
    }

    void onStart(@Observes StartupEvent event) {
        createSequence().await().atMost(Duration.ofSeconds(60));
    }

    /** Creates what Hibernate does not: the submission sequence. */
    public Uni<Void> createSequence() {
        return pool.query("CREATE SCHEMA IF NOT EXISTS intake").execute()
                .chain(() -> pool.query("CREATE SEQUENCE IF NOT EXISTS intake.submission_seq").execute())
                .replaceWithVoid();
    }

    /**
     * Takes the submission lock until the transaction ends: submissions run one after another, so
     * the unfinished count a submission reads includes every submission committed before it, and
     * submission numbers follow commit order.
     */
    public Uni<Void> lockSubmissions(Mutiny.Session session) {
        return session.createNativeQuery("SELECT CAST(pg_advisory_xact_lock(" + SUBMISSION_LOCK + ") AS text)", String.class)
                .getSingleResult()
                .replaceWithVoid();
    }

    /** How many tasks have not ended. */
    public Uni<Long> countUnfinished(Mutiny.Session session) {
        return session.createSelectionQuery("select count(t) from IntakeTask t where t.status in :unfinished", Long.class)
                .setParameter("unfinished", UNFINISHED)
                .getSingleResult();
    }

    /** The next submission number. */
    public Uni<Long> nextSubmissionSeq(Mutiny.Session session) {
        return session.createNativeQuery("SELECT nextval('intake.submission_seq')", Long.class).getSingleResult();
    }

    /** Those of these task ids the intake has accepted. */
    public Uni<List<String>> knownAmong(Mutiny.Session session, Collection<String> taskIds) {
        if (taskIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return session.createSelectionQuery("select t.taskId from IntakeTask t where t.taskId in :ids", String.class)
                .setParameter("ids", taskIds)
                .getResultList();
    }

    /**
     * The dependency through which a task with these dependencies would wait for itself, following
     * the dependencies of the tasks that still wait for theirs (PENDING): empty when there is no cycle.
     */
    public Uni<Optional<String>> cycleThrough(Mutiny.Session session, String taskId, List<String> dependencies) {
        if (dependencies.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return session.createNativeQuery(CYCLE, String.class)
                .setParameter("dependencies", Json.write(dependencies))
                .setParameter("taskId", taskId)
                .getResultList()
                .map(vias -> vias.stream().findFirst());
    }
}
