package io.miminions.scheduler.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.miminions.model.AcceptedTask;
import io.miminions.model.AgentStatus;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.HostHeartbeat;
import io.miminions.model.TaskInterrupt;
import io.miminions.model.TaskStatus;
import io.miminions.model.Topics;
import io.miminions.outbox.OutboxRecord;
import io.miminions.outbox.OutboxRelay;
import io.miminions.scheduler.ScheduledTask;
import io.miminions.scheduler.SchedulerState;
import io.miminions.scheduler.StateChanges;
import io.miminions.scheduler.StoredTask;
import io.miminions.scheduler.config.SchedulerConfig;
import io.miminions.scheduler.metrics.SchedulerMetrics;
import io.miminions.scheduler.repository.SchedulerStore;
import io.miminions.scheduler.tracing.TaskTraces;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The scheduler: takes accepted tasks, fleet events and host heartbeats, keeps the
 * {@link SchedulerState}, assigns ready tasks to free agents and decides each task's one outcome.
 *
 * <p>The work happens in steps on a single thread: apply the inputs to the state, dispatch, then
 * write the changed rows and the outbox records (assignments, interrupts, {@code TASK_QUEUED},
 * {@code TASK_ASSIGNED}, outcome and retry events) in one transaction. The listeners hand over whole
 * polled batches, and every input that arrives while a step runs joins the next step, so one
 * transaction carries as much work as is waiting; each tick of the clock ({@code tick-interval}) is a
 * step too. An input completes only once its step has committed, so a Kafka offset committed after
 * it never covers unsaved work. Right after the commit the step's records are sent to Kafka
 * ({@link OutboxRelay#announce}); the outbox relay sends those Kafka did not take. When a step
 * fails, the state is rebuilt from the tables and the step tried again, with a growing pause, until
 * it is saved.
 *
 * <p>The records a step writes about a task carry that task's trace ({@link TaskTraces}).
 */
@ApplicationScoped
public class TaskScheduler {

    /** The {@code source} of the events the scheduler produces. */
    public static final String SOURCE = SchedulerState.SOURCE;

    private static final Logger LOG = Logger.getLogger(TaskScheduler.class);

    private static final Map<EventType, AgentStatus> AGENT_STATUS_AFTER = Map.of(
            EventType.AGENT_STARTED, AgentStatus.RUNNING,
            EventType.AGENT_RESUMED, AgentStatus.RUNNING,
            EventType.AGENT_PAUSED, AgentStatus.PAUSED,
            EventType.AGENT_STOPPED, AgentStatus.STOPPED,
            EventType.AGENT_FAILED, AgentStatus.FAILED);

    private static final Set<EventType> TASK_PROGRESS = Set.of(EventType.TASK_STARTED, EventType.TASK_ATTEMPT_ENDED);

    private final SchedulerStore store;
    private final OutboxRelay relay;
    private final FleetTopicAdmin topics;
    private final SchedulerConfig config;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "scheduler-loop"));
    private final AtomicInteger readyTasks = new AtomicInteger();
    private final AtomicInteger freeAgents = new AtomicInteger();
    private volatile boolean healthy;
    private final AtomicBoolean ticking = new AtomicBoolean();
    private final SchedulerMetrics metrics;
    /** Owned by the loop thread. */
    private final TaskTraces traces;

    /** Owned by the loop thread. */
    private SchedulerState state;

    /** Inputs waiting for the loop thread's next step. */
    private final Queue<Input> pending = new ConcurrentLinkedQueue<>();

    /** One input to a step, when it arrived ({@link System#nanoTime()}), and what completes once that step is saved. */
    private record Input(String description, Consumer<StateChanges> apply, long arrived, CompletableFuture<Void> saved) {
    }

    public TaskScheduler(SchedulerStore store, OutboxRelay relay, FleetTopicAdmin topics, SchedulerConfig config,
            MeterRegistry registry, SchedulerMetrics metrics, Tracer tracer) {
        this.store = store;
        this.relay = relay;
        this.topics = topics;
        this.config = config;
        this.metrics = metrics;
        this.traces = new TaskTraces(tracer);
        registry.gauge("miminions.scheduler.ready.tasks", readyTasks);
        registry.gauge("miminions.scheduler.free.agents", freeAgents);
    }

    /**
     * Rebuilds the state from the tables and assigns what can be assigned, then starts the clock's
     * ticks (once). Blocks until that is saved; throws if it cannot be.
     */
    public void restore() {
        try {
            loop.submit(() -> {
                state = null;
                step(changes -> { });
            }).get();
            if (ticking.compareAndSet(false, true)) {
                long tick = config.tickInterval().toMillis();
                loop.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the scheduler could not restore its state: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while restoring the scheduler's state");
        }
    }

    /** A task read from {@code miminions.tasks}, with the trace its record carried (or null). */
    public record Arrival(AcceptedTask task, String traceparent) {
    }

    /**
     * Takes accepted tasks, in order; a task already received is ignored. What storage says of the
     * tasks and their dependencies is read in one query. Completes once saved.
     */
    public Uni<Void> accept(List<Arrival> arrivals) {
        return submit(arrivals.size() + " accepted tasks", changes -> {
            Set<String> lookUp = arrivals.stream()
                    .flatMap(arrival -> Stream.concat(Stream.of(arrival.task().taskId()), arrival.task().dependencies().stream()))
                    .filter(id -> !state.isUnfinished(id))
                    .collect(Collectors.toSet());
            Map<String, StoredTask> stored = ended(lookUp, changes);
            for (Arrival arrival : arrivals) {
                String taskId = arrival.task().taskId();
                if (!state.isUnfinished(taskId) && !stored.containsKey(taskId)) {
                    traces.received(taskId, arrival.traceparent());
                    state.accept(arrival.task(), stored, Instant.now(), changes);
                }
            }
        });
    }

    /** Renews the leases of the agents and attempts a host names. Completes once whatever that changed is saved. */
    public Uni<Void> heartbeat(HostHeartbeat heartbeat) {
        return submit("heartbeat of host " + heartbeat.hostId(), changes -> state.heartbeat(heartbeat, Instant.now()));
    }

    /**
     * Records, in order, agents' lifecycle events, the progress of task attempts ({@code TASK_STARTED},
     * {@code TASK_ATTEMPT_ENDED}) and cancel requests; progress of an attempt that is not the task's
     * current one, or of a finished task, is ignored, and so are other events (the scheduler's own
     * among them). Completes once saved.
     */
    public Uni<Void> record(List<Event> events) {
        List<Consumer<StateChanges>> steps = events.stream().map(this::stepOf).filter(Objects::nonNull).toList();
        if (steps.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return submit(steps.size() + " fleet events", changes -> steps.forEach(step -> step.accept(changes)));
    }

    /** Whether the scheduler acts on events of this type; it ignores the others. */
    public static boolean uses(EventType type) {
        return AGENT_STATUS_AFTER.containsKey(type) || TASK_PROGRESS.contains(type)
                || type == EventType.AGENT_HANDED_OVER || type == EventType.TASK_CANCEL_REQUESTED;
    }

    /** What an event changes in the state, or null for an event the scheduler ignores. */
    private Consumer<StateChanges> stepOf(Event event) {
        AgentStatus agentStatus = AGENT_STATUS_AFTER.get(event.type());
        if (agentStatus != null && event.agentId() != null) {
            return changes -> {
                if (agentStatus == AgentStatus.RUNNING) {
                    topics.ensureAgentTopic(event.agentId());
                }
                state.agentChanged(event.agentId(), agentStatus, Instant.now(), changes);
            };
        }
        if (event.type() == EventType.AGENT_HANDED_OVER && event.agentId() != null) {
            return changes -> state.handedOver(event.agentId());
        }
        if (event.type() == EventType.TASK_CANCEL_REQUESTED && event.taskId() != null) {
            return changes -> cancel(event.taskId(), changes);
        }
        if (!TASK_PROGRESS.contains(event.type())) {
            return null;
        }
        Integer attempt = event.data().get("attempt") instanceof Number n ? n.intValue() : null;
        if (event.taskId() == null || attempt == null) {
            LOG.warnf("ignoring %s event %s: it lacks the task id or the attempt", event.type(), event.eventId());
            return null;
        }
        if (event.type() == EventType.TASK_STARTED) {
            return changes -> state.started(event.taskId(), attempt, Instant.now(), changes);
        }
        TaskStatus outcome = outcomeOf(event);
        if (outcome == null) {
            LOG.warnf("ignoring %s event %s: its outcome %s is not one of COMPLETED, FAILED, TIMED_OUT, CANCELLED",
                    event.type(), event.eventId(), event.data().get("outcome"));
            return null;
        }
        return changes -> state.attemptEnded(event.taskId(), attempt, outcome, event.data(), Instant.now(), changes);
    }

    /** False until the state is restored, and while a step fails. */
    public boolean isHealthy() {
        return healthy;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        loop.shutdownNow();
        loop.awaitTermination(10, TimeUnit.SECONDS);
    }

    private Uni<Void> submit(String description, Consumer<StateChanges> apply) {
        return Uni.createFrom().completionStage(() -> {
            Input input = new Input(description, apply, System.nanoTime(), new CompletableFuture<>());
            pending.add(input);
            loop.execute(this::stepPending);
            return input.saved();
        });
    }

    /**
     * Applies every input that arrived since the last step, in arrival order, as one step: the
     * listeners' records and the heartbeats that queue up while a transaction commits share the next one.
     */
    private void stepPending() {
        List<Input> inputs = new ArrayList<>();
        for (Input input = pending.poll(); input != null; input = pending.poll()) {
            inputs.add(input);
        }
        if (inputs.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        inputs.forEach(input -> metrics.inputWaited(start - input.arrived()));
        String description = inputs.stream().map(Input::description).collect(Collectors.joining(", "));
        try {
            stepUntilSaved(description, changes -> inputs.forEach(input -> input.apply().accept(changes)));
            inputs.forEach(input -> input.saved().complete(null));
        } catch (RuntimeException e) {
            inputs.forEach(input -> input.saved().completeExceptionally(e));
        }
    }

    /** Cancels the task if held here; else keeps the request for when it arrives, unless it has ended already. */
    private void cancel(String taskId, StateChanges changes) {
        if (!state.cancel(taskId, Instant.now(), changes) && !ended(List.of(taskId), changes).containsKey(taskId)) {
            state.rememberCancel(taskId, changes);
        }
    }

    /**
     * What is known of those of these tasks that are not held in memory: their stored rows, and the
     * tasks that ended earlier in this step (their rows are written only at its end).
     */
    private Map<String, StoredTask> ended(Collection<String> taskIds, StateChanges changes) {
        Map<String, StoredTask> ended = new HashMap<>(await(store.statuses(taskIds)));
        changes.tasks().stream()
                .filter(task -> task.status().isFinal() && taskIds.contains(task.taskId()))
                .forEach(task -> ended.put(task.taskId(), new StoredTask(task.status(), task.failedDependency())));
        return ended;
    }

    private void tick() {
        try {
            stepUntilSaved("the clock's tick", changes -> state.tick(Instant.now(), changes));
        } catch (RuntimeException e) {
            LOG.errorf(e, "the scheduler's tick failed");
        }
    }

    private void stepUntilSaved(String input, Consumer<StateChanges> apply) {
        Duration pause = config.retryBackoff();
        while (true) {
            try {
                step(apply);
                return;
            } catch (RuntimeException e) {
                state = null;
                healthy = false;
                LOG.errorf(e, "the scheduler could not save %s; it rebuilds its state and tries again in %s", input, pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("the scheduler stopped before it could save " + input);
                }
                Duration doubled = pause.multipliedBy(2);
                pause = doubled.compareTo(config.maxRetryBackoff()) < 0 ? doubled : config.maxRetryBackoff();
            }
        }
    }

    /** Applies one input to the state (rebuilt first if needed), dispatches, and saves what changed. */
    private void step(Consumer<StateChanges> apply) {
        long start = System.nanoTime();
        StateChanges changes = new StateChanges();
        if (state == null) {
            state = reload(changes);
        }
        apply.accept(changes);
        state.dispatch(Instant.now(), changes);
        if (!changes.isEmpty()) {
            save(changes);
        }
        metrics.queueDepth(state.readyByBand());
        readyTasks.set(state.readyCount() + state.delayedCount());
        freeAgents.set(state.freeAgentCount());
        healthy = true;
        metrics.stepped(System.nanoTime() - start);
    }

    private void save(StateChanges changes) {
        Map<String, String> traceparents = changes.tasks().stream()
                .filter(task -> traces.traceparentOf(task.taskId()) != null)
                .collect(Collectors.toMap(ScheduledTask::taskId, task -> traces.traceparentOf(task.taskId()), (a, b) -> a));
        TaskTraces.Step spans = traces.step();
        List<OutboxRecord> records = outboxRecords(changes, spans);
        OutboxRelay.EarlyPublication early = relay.announce(records);
        long start = System.nanoTime();
        try {
            await(store.save(changes, records, traceparents));
            metrics.stepSaved(System.nanoTime() - start);
        } catch (RuntimeException e) {
            early.abandon();
            throw e;
        } finally {
            spans.end();
        }
        early.send();
        metrics.saved(changes.events());
        changes.events().stream().filter(event -> event.type().endsTask()).forEach(event -> traces.ended(event.taskId()));
    }

    private SchedulerState reload(StateChanges changes) {
        Map<String, AgentStatus> agents = await(store.agents());
        List<ScheduledTask> unfinished = await(store.unfinishedTasks());
        List<String> cancels = await(store.cancelRequests());
        Set<String> unfinishedIds = unfinished.stream().map(ScheduledTask::taskId).collect(Collectors.toSet());
        Set<String> endedDependencies = unfinished.stream().filter(task -> task.status() == TaskStatus.PENDING)
                .flatMap(task -> task.dependencies().stream())
                .filter(id -> !unfinishedIds.contains(id))
                .collect(Collectors.toSet());
        Map<String, StoredTask> stored = await(store.statuses(endedDependencies));
        traces.restore(await(store.traceparents()));

        Instant now = Instant.now();
        SchedulerState restored = new SchedulerState(await(store.lastSeq()), config.leaseDuration(), config.timeoutGrace(),
                config.agentPrefetch());
        agents.forEach((agentId, status) -> restored.restoreAgent(agentId, status, now));
        cancels.forEach(restored::restoreCancel);
        unfinished.forEach(task -> restored.restore(task, stored, now, changes));
        LOG.infof("scheduler state restored: %d unfinished tasks, %d agents, %d kept cancel requests", unfinished.size(),
                agents.size(), cancels.size());
        return restored;
    }

    private <T> T await(Uni<T> uni) {
        return uni.await().atMost(config.databaseTimeout());
    }

    /** The outcome a TASK_ATTEMPT_ENDED event reports, or null when it names none. */
    private static TaskStatus outcomeOf(Event ended) {
        try {
            TaskStatus outcome = TaskStatus.valueOf(String.valueOf(ended.data().get("outcome")));
            return outcome.isFinal() ? outcome : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The records that announce a step's transitions: the interrupts for the agent hosts, the
     * events in the order they happened (outcomes, retries, TASK_QUEUED), then the assignments made at
     * the end of the step with their TASK_ASSIGNED events. Each carries the trace of the task it is about.
     */
    private List<OutboxRecord> outboxRecords(StateChanges changes, TaskTraces.Step spans) {
        List<OutboxRecord> records = new ArrayList<>();
        for (TaskInterrupt interrupt : changes.interrupts()) {
            records.add(OutboxRecord.of(Topics.TASK_INTERRUPTS, null, interrupt.taskId(), interrupt)
                    .inTrace(spans.traceparentFor(interrupt.taskId())));
        }
        changes.timeline().forEach(event -> records.add(OutboxRecord.event(event).inTrace(spans.traceparentFor(event.taskId()))));
        Instant now = Instant.now();
        for (ScheduledTask task : changes.assigned()) {
            Assignment assignment = new Assignment(task.taskId(), task.attempt(), task.assignedAgent(), task.name(),
                    task.input(), task.priority(), task.timeoutSeconds(), now, task.leaseExpiresAt());
            String traceparent = spans.traceparentFor(task.taskId());
            records.add(OutboxRecord.of(Topics.agentTopic(task.assignedAgent()), Topics.AGENT_ASSIGNMENTS_PARTITION, task.taskId(),
                    assignment).inTrace(traceparent));
            records.add(OutboxRecord.event(Event.of(EventType.TASK_ASSIGNED, SOURCE, task.assignedAgent(), task.taskId(),
                    Map.of("attempt", task.attempt()))).inTrace(traceparent));
        }
        return records;
    }
}
