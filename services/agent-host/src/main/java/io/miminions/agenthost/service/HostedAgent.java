package io.miminions.agenthost.service;

import io.miminions.agenthost.AgentTypeException;
import io.miminions.agenthost.HostEvents;
import io.miminions.agenthost.LogTags;
import io.miminions.agenthost.TaggedAgentLogger;
import io.miminions.agenthost.TaskExecution;
import io.miminions.model.AgentCommand;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.FleetTopics;
import io.miminions.model.HostHeartbeat;
import io.miminions.model.Json;
import io.miminions.model.TaskInterrupt;
import io.miminions.model.Topics;
import io.miminions.sdk.Agent;
import io.miminions.sdk.AgentContext;
import io.miminions.sdk.AgentLogger;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * One agent running on this host, on a virtual thread of its own: it creates the agent from its
 * type, calls {@code onStart}, then reads the agent's topic and executes one assignment at a time,
 * each on a fresh virtual thread, for at most the task's timeout. How each attempt ended is recorded
 * as a {@code TASK_ATTEMPT_ENDED} event; the scheduler decides the task's outcome. The offset of an
 * assignment is committed only after that event is acknowledged, so a host that dies mid-task leaves
 * the assignment to the next host, which runs it if its lease has not ended (else the scheduler
 * assigns the task again).
 */
public final class HostedAgent {

    /**
     * The consumer group whose committed offsets say how far each agent's topic has been executed.
     * Not {@code agent-host}: Kafka rejects commits from consumers outside a group that has active
     * members, and the control consumers are members of that group.
     */
    public static final String OFFSETS_GROUP_ID = "agent-host-agents";

    /** How an agent stops. */
    public enum StopMode {
        /** {@code STOP}: finish the running task, then stop; recorded as AGENT_STOPPED. */
        FINISH_TASK,
        /** {@code STOP_NOW}: cancel the running task (attempt CANCELLED), then stop; recorded as AGENT_STOPPED. */
        CANCEL_TASK,
        /** The agent moves to another host: finish the running task, then stop without recording a stop. */
        HAND_OVER
    }

    private static final Logger LOG = Logger.getLogger(HostedAgent.class);

    /** How many attempts an agent remembers as executed or interrupted, to skip their assignment if it comes again. */
    private static final int REMEMBERED_ATTEMPTS = 1_000;

    private final AgentCommand definition;
    private final int controlPartition;
    private final AgentRuntime runtime;
    private final Consumer<HostedAgent> onTerminated;
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Attempts whose outcome this host recorded: a second delivery of their assignment is skipped. */
    private final Set<String> executed = rememberedAttempts();
    /** Attempts the scheduler interrupted: skipped if their assignment is read only afterwards. */
    private final Set<String> interrupted = rememberedAttempts();
    private volatile StopMode stopMode;
    private volatile RunningTask current;
    private volatile boolean failed;

    HostedAgent(AgentCommand definition, int controlPartition, AgentRuntime runtime, Consumer<HostedAgent> onTerminated) {
        this.definition = definition;
        this.controlPartition = controlPartition;
        this.runtime = runtime;
        this.onTerminated = onTerminated;
    }

    public String agentId() {
        return definition.agentId();
    }

    /** The partition of {@link Topics#AGENTS_CONTROL} this agent's commands arrive on. */
    public int controlPartition() {
        return controlPartition;
    }

    /** True until a stop was asked for or the agent failed (it may still be finishing its task). */
    public boolean isRunning() {
        return stopMode == null && !failed;
    }

    void start() {
        Thread.ofVirtual().name("agent-" + agentId()).start(this::run);
    }

    /** Asks the agent to stop; returns at once. The first stop asked for decides how. */
    void stop(StopMode mode) {
        if (stopMode == null) {
            stopMode = mode;
        }
        RunningTask task = current;
        if (task != null && stopMode == StopMode.CANCEL_TASK) {
            task.cancel("the agent was stopped");
        }
    }

    /**
     * The scheduler gave this attempt up (cancelled, timed out, lease lost): stops it if it runs, and
     * skips its assignment if it is read later.
     */
    void interrupt(TaskInterrupt interrupt) {
        interrupted.add(attemptKey(interrupt.taskId(), interrupt.attempt()));
        RunningTask task = current;
        if (task != null && task.assignment.taskId().equals(interrupt.taskId()) && task.assignment.attempt() == interrupt.attempt()) {
            LOG.infof("interrupting attempt %d of task %s: %s", interrupt.attempt(), interrupt.taskId(), interrupt.reason());
            task.cancel("interrupted by the scheduler: " + interrupt.reason());
        }
    }

    /** This agent, and the attempt it executes if any, for the host's heartbeat. */
    HostHeartbeat.AgentLease lease() {
        RunningTask task = current;
        return task == null ? new HostHeartbeat.AgentLease(agentId(), null, 0)
                : new HostHeartbeat.AgentLease(agentId(), task.assignment.taskId(), task.assignment.attempt());
    }

    /**
     * Waits up to {@code grace} for the agent to stop; then abandons its running task (no outcome is
     * recorded and the assignment stays uncommitted, so it runs again) and waits as long again.
     *
     * @return true once the agent has stopped
     */
    boolean awaitStop(Duration grace) throws InterruptedException {
        if (terminated.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        RunningTask task = current;
        if (task != null) {
            LOG.warnf("agent %s did not finish task %s within %s; abandoning it", agentId(), task.assignment.taskId(), grace);
            task.abandon();
        }
        return terminated.await(grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try (LogTags tags = LogTags.of(agentId(), definition.name(), null)) {
            Agent agent = startAgent();
            if (agent != null) {
                consumeThenStop(agent);
            }
        } finally {
            onTerminated.accept(this);
            terminated.countDown();
        }
    }

    /** Creates the agent and calls {@code onStart}; null (and AGENT_FAILED recorded) when that fails. */
    private Agent startAgent() {
        Agent agent;
        try {
            runtime.kafka().ensureTopics(List.of(FleetTopics.agentTopic(agentId(), runtime.replicationFactor())));
            agent = runtime.agents().create(definition.agentType());
        } catch (AgentTypeException e) {
            fail(e.getMessage(), null);
            return null;
        } catch (RuntimeException e) {
            fail(e.getMessage(), e);
            return null;
        }
        agent.attach(new Context(agent));
        try {
            agent.onStart();
        } catch (Exception | LinkageError e) {
            fail("onStart failed: " + e, e);
            callOnStop(agent);
            return null;
        }
        LOG.infof("agent %s (%s) started", agentId(), definition.agentType());
        runtime.events().publish(HostEvents.agentStarted(agentId(), definition.agentType(), runtime.hostId()));
        return agent;
    }

    private void consumeThenStop(Agent agent) {
        RuntimeException failure = null;
        try {
            consume(agent);
        } catch (RuntimeException e) {
            failure = e;
        }
        callOnStop(agent);
        if (failure != null) {
            fail("reading its topic failed: " + failure, failure);
        } else if (stopMode != StopMode.HAND_OVER) {
            LOG.infof("agent %s stopped", agentId());
            runtime.events().publish(HostEvents.agentStopped(agentId(), runtime.hostId()));
        } else {
            LOG.infof("agent %s handed over", agentId());
        }
    }

    private void consume(Agent agent) {
        TopicPartition topic = new TopicPartition(Topics.agentTopic(agentId()), 0);
        try (KafkaConsumer<String, String> consumer = runtime.kafka().newConsumer(OFFSETS_GROUP_ID, Map.of())) {
            consumer.assign(List.of(topic));
            while (stopMode == null) {
                for (ConsumerRecord<String, String> record : consumer.poll(runtime.pollTimeout())) {
                    if (stopMode != null) {
                        break;
                    }
                    if (!handle(agent, record, consumer)) {
                        consumer.seek(topic, record.offset());
                        break;
                    }
                }
            }
        }
    }

    /**
     * Executes one assignment and records its outcome; false when the outcome was not recorded. An
     * assignment read after its lease ended, one the scheduler interrupted before it was read, or one
     * this host executed already is skipped (the scheduler has given such an attempt up, or has its outcome).
     */
    private boolean handle(Agent agent, ConsumerRecord<String, String> record, KafkaConsumer<String, String> consumer) {
        Assignment assignment;
        try {
            assignment = readAssignment(record.value());
        } catch (IllegalArgumentException e) {
            LOG.errorf("skipping the unreadable assignment at offset %d of %s: %s", record.offset(), record.topic(),
                    e.getMessage());
            return recordOutcome(HostEvents.serviceError(agentId(), "unreadable assignment: " + e.getMessage(), record),
                    record, consumer);
        }
        String attempt = attemptKey(assignment.taskId(), assignment.attempt());
        String skip = executed.contains(attempt) ? "this host has executed it already"
                : interrupted.contains(attempt) ? "the scheduler interrupted it before it started"
                : assignment.isExpiredAt(Instant.now()) ? "its lease ended at " + assignment.expiresAt() + ", before this host read it"
                : null;
        if (skip != null) {
            LOG.infof("skipping attempt %d of task %s: %s", assignment.attempt(), assignment.taskId(), skip);
            commit(record, consumer);
            return true;
        }
        runtime.events().publish(HostEvents.taskStarted(assignment, runtime.hostId()));
        Event outcome = execute(agent, assignment);
        if (outcome != null && recordOutcome(outcome, record, consumer)) {
            executed.add(attempt);
            return true;
        }
        return false;
    }

    private static Assignment readAssignment(String value) {
        if (value == null) {
            throw new IllegalArgumentException("the record has no value");
        }
        Assignment assignment = Json.read(value, Assignment.class);
        if (assignment.taskId() == null || assignment.taskId().isBlank()) {
            throw new IllegalArgumentException("the assignment has no taskId");
        }
        return assignment;
    }

    /**
     * Runs the task on a virtual thread and waits for its outcome, at most the task's timeout: then
     * the attempt is interrupted (thread interrupt, {@code isStopping()}) and timed out. Null when the
     * task was abandoned.
     */
    private Event execute(Agent agent, Assignment assignment) {
        RunningTask task = new RunningTask(assignment, () -> runTask(agent, assignment));
        current = task;
        task.worker.start();
        if (stopMode == StopMode.CANCEL_TASK) {
            task.cancel("the agent was stopped");
        }
        if (interrupted.contains(attemptKey(assignment.taskId(), assignment.attempt()))) {
            task.cancel("interrupted by the scheduler");
        }
        Event outcome = awaitOutcome(task);
        current = null;
        if (outcome != null && outcome.type() != EventType.TASK_COMPLETED) {
            LOG.warnf("task %s: %s %s", assignment.taskId(), outcome.type(), outcome.data());
        }
        return outcome;
    }

    private static Event awaitOutcome(RunningTask task) {
        int timeoutSeconds = task.assignment.timeoutSeconds();
        try {
            return timeoutSeconds > 0 ? task.outcome.get(timeoutSeconds, TimeUnit.SECONDS) : task.outcome.join();
        } catch (TimeoutException e) {
            LOG.warnf("task %s ran for its whole timeout of %d s; interrupting it", task.assignment.taskId(), timeoutSeconds);
            task.timeOut();
            return task.outcome.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.abandon();
            return null;
        } catch (ExecutionException e) {
            return HostEvents.attemptFailed(task.assignment, e.getCause(), 0);
        }
    }

    private Event runTask(Agent agent, Assignment assignment) {
        try (LogTags tags = LogTags.of(agentId(), definition.name(), assignment.taskId())) {
            return TaskExecution.run(agent, assignment);
        }
    }

    private boolean recordOutcome(Event outcome, ConsumerRecord<String, String> record, KafkaConsumer<String, String> consumer) {
        try {
            runtime.events().publish(outcome).get();
        } catch (ExecutionException e) {
            LOG.errorf("the outcome of the assignment at offset %d was not recorded; it will run again", record.offset());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        commit(record, consumer);
        return true;
    }

    private static void commit(ConsumerRecord<String, String> record, KafkaConsumer<String, String> consumer) {
        try {
            consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1)));
        } catch (KafkaException e) {
            LOG.warnf(e, "cannot commit offset %d of %s; the assignment may run again after a restart",
                    record.offset(), record.topic());
        }
    }

    private static String attemptKey(String taskId, int attempt) {
        return taskId + "#" + attempt;
    }

    private static Set<String> rememberedAttempts() {
        return Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > REMEMBERED_ATTEMPTS;
            }
        }));
    }

    /** Records AGENT_FAILED; {@code cause}, when given, is logged with its stack trace. */
    private void fail(String reason, Throwable cause) {
        failed = true;
        LOG.errorf(cause, "agent %s (%s) failed: %s", agentId(), definition.agentType(), reason);
        runtime.events().publish(HostEvents.agentFailed(agentId(), reason));
    }

    private void callOnStop(Agent agent) {
        try {
            agent.onStop();
        } catch (Exception | LinkageError e) {
            LOG.warnf(e, "onStop of agent %s failed", agentId());
        }
    }

    /** The task an agent is executing, on its own virtual thread. */
    private static final class RunningTask {
        /** The attempt the current thread executes, on a task's own thread. */
        static final ThreadLocal<RunningTask> OWN = new ThreadLocal<>();

        final Assignment assignment;
        final Thread worker;
        /** The outcome to record; completed by the worker, or first by a cancel or an abandon. */
        final CompletableFuture<Event> outcome = new CompletableFuture<>();
        volatile boolean cancelled;

        RunningTask(Assignment assignment, Supplier<Event> execution) {
            this.assignment = assignment;
            this.worker = Thread.ofVirtual().name("task-" + assignment.taskId()).unstarted(() -> {
                OWN.set(this);
                try {
                    outcome.complete(execution.get());
                } catch (Throwable e) {
                    outcome.complete(HostEvents.attemptFailed(assignment, e, 0));
                }
            });
        }

        /** Stops the attempt: it ends CANCELLED for this reason; the agent sees an interrupt and {@code isStopping()}. */
        void cancel(String reason) {
            cancelled = true;
            outcome.complete(HostEvents.attemptCancelled(assignment, reason));
            worker.interrupt();
        }

        /** Stops the attempt at its timeout: it ends TIMED_OUT; the agent sees an interrupt and {@code isStopping()}. */
        void timeOut() {
            cancelled = true;
            outcome.complete(HostEvents.attemptTimedOut(assignment));
            worker.interrupt();
        }

        void abandon() {
            cancelled = true;
            outcome.complete(null);
            worker.interrupt();
        }
    }

    /** What the agent sees of this host. */
    private final class Context implements AgentContext {
        private final AgentLogger logger;

        Context(Agent agent) {
            this.logger = new TaggedAgentLogger(Logger.getLogger(agent.getClass()), agentId(), definition.name(),
                    () -> {
                        RunningTask task = current;
                        return task == null ? null : task.assignment.taskId();
                    });
        }

        @Override
        public String agentId() {
            return definition.agentId();
        }

        @Override
        public String agentName() {
            return definition.name();
        }

        @Override
        public Map<String, Object> config() {
            return definition.config();
        }

        @Override
        public AgentLogger logger() {
            return logger;
        }

        /**
         * On a task's own thread, whether that attempt was cancelled or timed out (it may still run
         * after the agent moved on to the next task); elsewhere, whether the current attempt was.
         */
        @Override
        public boolean isStopping() {
            RunningTask own = RunningTask.OWN.get();
            RunningTask task = own != null ? own : current;
            return stopMode != null || (task != null && task.cancelled);
        }
    }
}
