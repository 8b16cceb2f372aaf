package io.miminions.client;

import io.miminions.model.Priorities;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * How a task is to run, for {@link MiminionsClient#submitTask(String, java.util.Map, TaskOptions)}:
 * immutable, built with {@link #builder()}; every setting is optional and checked when set.
 *
 * <pre>{@code
 * TaskOptions.builder().priority(0).dependsOn(downloadId).timeout(Duration.ofMinutes(5)).build()
 * }</pre>
 *
 * @param priority       0 (highest) … 100 (lowest); null for the default, {@value Priorities#DEFAULT}
 * @param dependencies   ids of tasks that must complete first
 * @param timeoutSeconds how long an attempt may run; null for the fleet's {@code task-timeout-seconds}
 * @param maxAttempts    how many times the task may be executed when its execution fails; null for 1
 * @param backoffSeconds the pause before the second attempt, doubled before each further one; null for 1
 * @param agentId        run only on this agent; null for any running agent
 * @param taskId         a task id chosen by the caller (a UUID), which makes the submission idempotent; null to let the fleet choose
 */
public record TaskOptions(Integer priority, List<String> dependencies, Integer timeoutSeconds, Integer maxAttempts,
        Integer backoffSeconds, String agentId, String taskId) {

    /** The fleet's defaults for everything. */
    public static final TaskOptions DEFAULTS = builder().build();

    public TaskOptions {
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link TaskOptions}; each setter refuses a value the fleet would refuse. */
    public static final class Builder {
        private Integer priority;
        private final List<String> dependencies = new ArrayList<>();
        private Integer timeoutSeconds;
        private Integer maxAttempts;
        private Integer backoffSeconds;
        private String agentId;
        private String taskId;

        private Builder() {
        }

        /** 0 (highest) … 100 (lowest). */
        public Builder priority(int priority) {
            if (!Priorities.isValid(priority)) {
                throw new IllegalArgumentException("priority must be between " + Priorities.HIGHEST + " and " + Priorities.LOWEST
                        + ", was " + priority);
            }
            this.priority = priority;
            return this;
        }

        /** Tasks that must complete first; a dependency that fails, times out or is cancelled fails this task. */
        public Builder dependsOn(String... taskIds) {
            return dependsOn(Arrays.asList(taskIds));
        }

        /** Tasks that must complete first. */
        public Builder dependsOn(Collection<String> taskIds) {
            for (String id : taskIds) {
                if (id == null || id.isBlank()) {
                    throw new IllegalArgumentException("a dependency must be a task id, was " + id);
                }
                dependencies.add(id);
            }
            return this;
        }

        /** How long an attempt may run, whole seconds, at least one; then the task ends TIMED_OUT. */
        public Builder timeout(Duration timeout) {
            if (timeout.toSeconds() < 1) {
                throw new IllegalArgumentException("the timeout must be at least 1 s, was " + timeout);
            }
            this.timeoutSeconds = Math.toIntExact(timeout.toSeconds());
            return this;
        }

        /** Retry policy: how many times the task may be executed when {@code execute} throws, 1 … 100. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 100) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and 100, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Retry policy: the pause before the second attempt (whole seconds, up to an hour), doubled before each further one. */
        public Builder backoff(Duration backoff) {
            if (backoff.isNegative() || backoff.toSeconds() > 3600) {
                throw new IllegalArgumentException("the backoff must be between 0 and 3600 s, was " + backoff);
            }
            this.backoffSeconds = (int) backoff.toSeconds();
            return this;
        }

        /** Run the task on this agent only. */
        public Builder agentId(String agentId) {
            this.agentId = agentId;
            return this;
        }

        /** The task's id, chosen by the caller (a UUID): submitting it again answers the same task. */
        public Builder taskId(String taskId) {
            this.taskId = taskId;
            return this;
        }

        public TaskOptions build() {
            return new TaskOptions(priority, dependencies, timeoutSeconds, maxAttempts, backoffSeconds, agentId, taskId);
        }
    }
}
