package io.miminions.intake;

import io.miminions.model.AcceptedTask;
import io.miminions.model.TaskStatus;
import io.miminions.model.api.TaskView;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A task the intake accepted, and what the fleet has reported about it since. */
@Entity
@Table(name = "tasks", indexes = @Index(name = "tasks_status", columnList = "status"))
public class IntakeTask {

    @Id
    @Column(name = "task_id")
    public String taskId;

    @Column(nullable = false)
    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> input;

    public int priority;

    public String[] dependencies;

    @Column(name = "timeout_seconds")
    public int timeoutSeconds;

    /** The agent the client asked for, if any. */
    @Column(name = "agent_id")
    public String agentId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TaskStatus status;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> output;

    @Column(length = 4000)
    public String error;

    @Column(name = "ran_on_agent_id")
    public String ranOnAgentId;

    @Column(name = "submitted_at", nullable = false)
    public Instant submittedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The order of acceptance: increasing, from sequence {@code intake.submission_seq}. */
    @Column(name = "submission_seq")
    public Long submissionSeq;

    /** How many times the task may be executed when its execution fails. */
    @Column(name = "max_attempts")
    public Integer maxAttempts;

    /** The pause before the second attempt, doubled before each further one. */
    @Column(name = "backoff_seconds")
    public Integer backoffSeconds;

    /** The current (or last) attempt the fleet reported; 0 before the first. */
    public Integer attempt;

    /** When the current (or last) attempt started. */
    @Column(name = "started_at")
    public Instant startedAt;

    public AcceptedTask toAccepted() {
        return new AcceptedTask(taskId, name, input, priority, List.of(dependencies), timeoutSeconds, agentId, submittedAt,
                submissionSeq, maxAttempts, backoffSeconds);
    }

    public TaskView toView() {
        return new TaskView(taskId, name, input, priority, List.of(dependencies), timeoutSeconds, agentId, status, output, error,
                ranOnAgentId, submittedAt, updatedAt, attempt == null ? 0 : attempt, maxAttempts == null ? 1 : maxAttempts,
                startedAt);
    }
}
