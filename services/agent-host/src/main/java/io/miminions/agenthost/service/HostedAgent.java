package io.miminions.agenthost.service;

import io.miminions.agenthost.AgentTypeException;
import io.miminions.agenthost.HostEvents;
import io.miminions.agenthost.JsonObjects;
import io.miminions.agenthost.LogTags;
import io.miminions.agenthost.TaggedAgentLogger;
import io.miminions.agenthost.TaskExecution;
import io.miminions.agenthost.messaging.AgentMessaging;
import io.miminions.model.AgentCommand;
import io.miminions.model.AgentSnapshot;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.FleetTopics;
import io.miminions.model.HostHeartbeat;
import io.miminions.model.Json;
import io.miminions.model.Severity;
import io.miminions.model.TaskInterrupt;
import io.miminions.model.Topics;
import io.miminions.sdk.Agent;
import io.miminions.sdk.AgentContext;
import io.miminions.sdk.AgentLogger;
import io.miminions.sdk.AgentMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * One run (generation) of an agent on this host, on a virtual thread of its own: it creates the
 * agent from its type, calls {@code onStart} (and {@code onResume} with the state this generation
 * saved, if any), then reads the agent's topic and executes one assignment at a time, each on a fresh
 * virtual thread, for at most the task's timeout. How each attempt ended is recorded as a
 * {@code TASK_ATTEMPT_ENDED} event; the scheduler decides the task's outcome. The offset of an
 * assignment is committed only after that event is acknowledged, so a host that dies mid-task leaves
 * the assignment to the next host, which runs it if its lease has not ended (else the scheduler
 * assigns the task again).
 *
 * <p>Pause, resume, stop and hand-over take effect between tasks, on the agent's thread, so the
 * agent's hooks never run beside its {@code execute} (unless a task was abandoned after the stop
 * timeout). A paused agent reads nothing from its topic: its assignments and messages wait there.
 * The agent takes a new assignment only while this host owns its control partition.
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
        /** {@code STOP_NOW} or deregistration: cancel the running task (attempt CANCELLED), then stop; recorded as AGENT_STOPPED. */
        CANCEL_TASK,
        /**
         * The agent moves to another host: finish the running task, save the state {@code onPause}
         * returns (unless the agent is paused, its state saved already), stop, record AGENT_HANDED_OVER.
         */
        HAND_OVER,
        /**
         * This host lost the agent's control partition (it was thrown out of the control group): abandon
         * the running task (no outcome, its lease runs out), stop without saving state or recording an event.
         */
        DROP
    }

    private static final Logger LOG = Logger.getLogger(HostedAgent.class);

    /** How many attempts an agent remembers as executed or interrupted, to skip their assignment if it comes again. */
    private static final int REMEMBERED_ATTEMPTS = 1_000;
    private static final long MIB = 1024 * 1024;

    private final AgentCommand definition;
    private final int controlPartition;
    private final AgentRuntime runtime;
    private final Consumer<HostedAgent> onTerminated;
    private final PauseControl pause;
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Attempts whose outcome this host recorded: a second delivery of their assignment is skipped. */
    private final Set<String> executed = rememberedAttempts();
    /** Attempts the scheduler interrupted: skipped if their assignment is read only afterwards. */
    private final Set<String> interrupted = rememberedAttempts();
    private volatile StopMode stopMode;
    private volatile Failure failure;
    private volatile RunningTask current;
    /** The agent instance once {@code onStart} has returned, until it stopped: what the memory limit measures. */
    private volatile Agent instance;
    private volatile long heapBytes = -1;
    /** The agent's sends and inbox, from just before {@code onStart} until the agent ends here. */
    private volatile AgentMessaging messaging;

    /**
     * @param definition       the command that brought this run here: its generation, type, configuration and limits
     * @param controlPartition the partition of {@link Topics#AGENTS_CONTROL} the agent's commands arrive on
     * @param paused           whether the agent begins paused (its latest command is PAUSE)
     */
    HostedAgent(AgentCommand definition, int controlPartition, boolean paused, AgentRuntime runtime,
            Consumer<HostedAgent> onTerminated) {
        this.definition = definition;
        this.controlPartition = controlPartition;
        this.pause = new PauseControl(paused);
        this.runtime = runtime;
        this.onTerminated = onTerminated;
    }

    public String agentId() {
        return definition.agentId();
    }

    /** Which run of the agent this is ({@link AgentCommand#generation()}). */
    public long generation() {
        return definition.generation();
    }

    /** The partition of {@link Topics#AGENTS_CONTROL} this agent's commands arrive on. */
    public int controlPartition() {
        return controlPartition;
    }

    /** True until a stop was asked for or the agent failed (it may still be finishing its task). */
    public boolean isRunning() {
        return stopMode == null && failure == null;
    }

    /** True while a pause is asked for and has not taken effect yet (the running task has not ended). */
    public boolean isPausePending() {
        return pause.isPausePending();
    }

    /** The heap the agent held when last measured, in bytes; -1 when it has no memory limit or was not measured yet. */
    public long heapBytes() {
        return heapBytes;
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
        } else if (task != null && stopMode == StopMode.DROP) {
            task.abandon();
        }
        pause.wake();
    }

    /** A PAUSE command: takes effect once the running task has ended. */
    void pause() {
        pause.requestPause();
    }

    /** A RESUME command: cancels a pause that has not taken effect, or resumes the paused agent. */
    void resume() {
        pause.requestResume();
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

    /** The agent's memory limit in bytes; 0 for none. */
    long memoryLimitBytes() {
        return definition.limits().maxMemoryMb() * MIB;
    }

    /** The agent instance while it runs here, for measuring the heap it holds. */
    Optional<Agent> instance() {
        return Optional.ofNullable(instance);
    }

    /**
     * Takes a measurement of the heap the agent holds; over its limit, the agent fails: its running
     * task is cancelled, {@code onStop} runs and AGENT_FAILED is recorded.
     */
    void measured(long bytes) {
        heapBytes = bytes;
        long limit = memoryLimitBytes();
        if (limit > 0 && bytes > limit) {
            long heapMb = (bytes + MIB - 1) / MIB;
            failWith(new Failure("holds at least " + heapMb + " MiB of heap, over its limit of " + definition.limits().maxMemoryMb()
                    + " MiB", Map.of("heapMb", heapMb, "limitMb", definition.limits().maxMemoryMb())));
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
                instance = agent;
                consumeThenStop(agent);
            }
        } finally {
            instance = null;
            if (messaging != null) {
                messaging.close();
            }
            onTerminated.accept(this);
            terminated.countDown();
        }
    }

    /**
     * Creates the agent, calls {@code onStart} and, unless it begins paused, {@code onResume} with the
     * state this generation saved; null (and AGENT_FAILED recorded) when that fails.
     */
    private Agent startAgent() {
        Agent agent;
        try {
            runtime.kafka().ensureTopics(List.of(FleetTopics.agentTopic(agentId(), runtime.replicationFactor())));
            agent = runtime.agents().create(definition.agentType());
        } catch (AgentTypeException e) {
            recordFailure(new Failure(e.getMessage()), null);
            return null;
        } catch (RuntimeException e) {
            recordFailure(new Failure(e.getMessage()), e);
            return null;
        }
        messaging = runtime.messaging().open(agentId());
        agent.attach(new Context(agent));
        Optional<AgentSnapshot> saved = pause.isPaused() ? Optional.empty()
                : runtime.snapshots().latest(agentId(), generation());
        try {
            agent.onStart();
            if (saved.isPresent()) {
                agent.onResume(saved.get().state());
            }
        } catch (Exception | LinkageError e) {
            callOnStop(agent);
            recordFailure(new Failure((saved.isPresent() ? "onResume" : "onStart") + " failed: " + e), e);
            return null;
        }
        if (pause.isPaused()) {
            LOG.infof("agent %s (%s) started paused", agentId(), definition.agentType());
            runtime.events().publish(HostEvents.agentPaused(definition, runtime.hostId()));
        } else {
            LOG.infof("agent %s (%s) started%s", agentId(), definition.agentType(), saved.isPresent() ? " with its saved state" : "");
            runtime.events().publish(HostEvents.agentStarted(definition, runtime.hostId(), saved.isPresent()));
        }
        return agent;
    }

    private void consumeThenStop(Agent agent) {
        try {
            consume(agent);
        } catch (RuntimeException e) {
            failWith(new Failure("reading its topic failed: " + e));
            LOG.error("reading the agent's topic failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failWith(new Failure("its thread was interrupted"));
        }
        boolean stateSaved = stopMode == StopMode.HAND_OVER && failure == null && saveForHandOver(agent);
        callOnStop(agent);
        Failure failed = failure;
        if (failed != null) {
            recordFailure(failed, null);
        } else if (stopMode == StopMode.HAND_OVER) {
            LOG.infof("agent %s handed over", agentId());
            runtime.events().publish(HostEvents.agentHandedOver(definition, runtime.hostId(), stateSaved));
        } else if (stopMode == StopMode.DROP) {
            LOG.warnf("agent %s dropped: this host lost its control partition %d", agentId(), controlPartition);
        } else {
            LOG.infof("agent %s stopped", agentId());
            runtime.events().publish(HostEvents.agentStopped(definition, runtime.hostId()));
        }
    }

    /**
     * Reads the agent's topic until it stops, one assignment at a time; between tasks it pauses or
     * resumes as its commands ask, and while it is paused, or its host does not own its control
     * partition, it reads nothing.
     */
    private void consume(Agent agent) throws InterruptedException {
        TopicPartition topic = new TopicPartition(Topics.agentTopic(agentId()), Topics.AGENT_ASSIGNMENTS_PARTITION);
        try (KafkaConsumer<String, String> consumer = runtime.kafka().newConsumer(OFFSETS_GROUP_ID, Map.of())) {
            consumer.assign(List.of(topic));
            while (isRunning()) {
                applyPauseOrResume(agent);
                if (!takesAssignments()) {
                    pause.awaitChange(runtime.pollTimeout());
                    continue;
                }
                for (ConsumerRecord<String, String> record : consumer.poll(runtime.pollTimeout())) {
                    if (!takesAssignments() || !runtime.events().inTraceOf(record, () -> handle(agent, record, consumer))) {
                        consumer.seek(topic, record.offset());
                        break;
                    }
                }
            }
        }
    }

    private boolean takesAssignments() {
        return isRunning() && pause.takesAssignments() && runtime.ownership().owns(controlPartition);
    }

    /** Does what the latest PAUSE or RESUME asks for, now that no task runs. */
    private void applyPauseOrResume(Agent agent) {
        PauseControl.Step step = pause.next();
        if (step.pauseCancelled()) {
            LOG.infof("agent %s resumed before its pause took effect", agentId());
            runtime.events().publish(HostEvents.agentResumed(definition, runtime.hostId(), true));
        }
        if (step.pause()) {
            Map<String, Object> state;
            try {
                state = savePausedState(agent);
            } catch (AgentHookException e) {
                failWith(new Failure(e.getMessage()));
                return;
            }
            pause.paused();
            LOG.infof("agent %s paused with %d state entries saved", agentId(), state.size());
            runtime.events().publish(HostEvents.agentPaused(definition, runtime.hostId()));
        }
        if (step.resume()) {
            Optional<AgentSnapshot> saved = runtime.snapshots().latest(agentId(), generation());
            try {
                if (saved.isPresent()) {
                    agent.onResume(saved.get().state());
                }
            } catch (Exception | LinkageError e) {
                failWith(new Failure("onResume failed: " + e));
                return;
            }
            pause.resumed();
            LOG.infof("agent %s resumed", agentId());
            runtime.events().publish(HostEvents.agentResumed(definition, runtime.hostId(), false));
        }
    }

    /**
     * Calls {@code onPause} and saves what it returns as this generation's snapshot, durably.
     *
     * @throws AgentHookException when {@code onPause} throws, returns what is not JSON, or the state cannot be saved
     */
    private Map<String, Object> savePausedState(Agent agent) {
        Map<String, Object> state;
        try {
            state = JsonObjects.of(agent.onPause(), "the state");
        } catch (Exception | LinkageError e) {
            throw new AgentHookException("onPause failed: " + e, e);
        }
        try {
            runtime.snapshots().save(new AgentSnapshot(agentId(), generation(), state, Instant.now(), runtime.hostId()),
                    controlPartition);
        } catch (IllegalStateException e) {
            throw new AgentHookException(e.getMessage(), e);
        }
        return state;
    }

    /** Saves the state of an agent leaving this host, unless it is paused (its state saved then); false when it could not. */
    private boolean saveForHandOver(Agent agent) {
        if (pause.isPaused()) {
            return true;
        }
        try {
            savePausedState(agent);
            return true;
        } catch (AgentHookException e) {
            LOG.errorf(e.getCause(), "agent %s leaves without its state: %s", agentId(), e.getMessage());
            return false;
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
     * task was abandoned. A task that ran out of heap fails, and the agent with it.
     */
    private Event execute(Agent agent, Assignment assignment) {
        RunningTask task = new RunningTask(assignment, () -> runTask(agent, assignment));
        current = task;
        task.worker.start();
        if (stopMode == StopMode.CANCEL_TASK || failure != null) {
            task.cancel("the agent was stopped");
        } else if (stopMode == StopMode.DROP) {
            task.abandon();
        }
        if (interrupted.contains(attemptKey(assignment.taskId(), assignment.attempt()))) {
            task.cancel("interrupted by the scheduler");
        }
        Event outcome = awaitOutcome(task);
        current = null;
        if (task.outOfMemory != null) {
            failWith(new Failure("execute ran out of memory: " + task.outOfMemory.getMessage()));
        }
        if (outcome != null && outcome.severity() == Severity.WARNING) {
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

    /** Makes the agent fail (the first failure wins): its running task is cancelled and it stops. */
    private void failWith(Failure reason) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = reason;
        }
        RunningTask task = current;
        if (task != null) {
            task.cancel("the agent failed: " + reason.reason);
        }
        pause.wake();
    }

    /** Records AGENT_FAILED; {@code cause}, when given, is logged with its stack trace. */
    private void recordFailure(Failure failed, Throwable cause) {
        failure = failed;
        LOG.errorf(cause, "agent %s (%s) failed: %s", agentId(), definition.agentType(), failed.reason);
        runtime.events().publish(HostEvents.agentFailed(definition, runtime.hostId(), failed.reason, failed.details));
    }

    private void callOnStop(Agent agent) {
        try {
            agent.onStop();
        } catch (Exception | LinkageError e) {
            LOG.warnf(e, "onStop of agent %s failed", agentId());
        }
    }

    /** Why the agent failed, and more data for its AGENT_FAILED event. */
    private record Failure(String reason, Map<String, Object> details) {
        Failure(String reason) {
            this(reason, Map.of());
        }
    }

    /** A lifecycle hook of the agent failed; the message says which and why. */
    private static final class AgentHookException extends RuntimeException {
        AgentHookException(String message, Throwable cause) {
            super(message, cause);
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
         * True for every attempt once the agent is asked to stop (also when it is handed over) or fails.
         */
        @Override
        public boolean isStopping() {
            RunningTask own = RunningTask.OWN.get();
            RunningTask task = own != null ? own : current;
            return !isRunning() || (task != null && task.cancelled);
        }

        @Override
        public String sendMessage(List<String> recipientIds, String messageType, Map<String, Object> data, String correlationId) {
            return messaging.sendMessage(recipientIds, messageType, data, correlationId);
        }

        @Override
        public String broadcastMessage(String messageType, Map<String, Object> data) {
            return messaging.broadcastMessage(messageType, data);
        }

        @Override
        public List<AgentMessage> receiveMessages(boolean block, Duration timeout) {
            return messaging.receiveMessages(block, timeout);
        }

        @Override
        public AgentMessage waitForResponse(String correlationId, Duration timeout) {
            return messaging.waitForResponse(correlationId, timeout);
        }
    }
}
