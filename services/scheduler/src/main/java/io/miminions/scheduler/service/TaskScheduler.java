package io.miminions.scheduler.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.miminions.model.AcceptedTask;
import io.miminions.model.AgentStatus;
import io.miminions.model.Assignment;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.TaskStatus;
import io.miminions.model.Topics;
import io.miminions.outbox.OutboxRecord;
import io.miminions.scheduler.ScheduledTask;
import io.miminions.scheduler.SchedulerState;
import io.miminions.scheduler.StateChanges;
import io.miminions.scheduler.config.SchedulerConfig;
import io.miminions.scheduler.repository.SchedulerStore;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The scheduler: takes accepted tasks and fleet events, keeps the {@link SchedulerState} and
 * assigns ready tasks to free agents.
 *
 * <p>Every input is one step on a single thread: apply it to the state, dispatch, then write the
 * changed rows and the outbox records (assignments, {@code TASK_QUEUED}, {@code TASK_ASSIGNED}) in
 * one transaction. A step completes only once that transaction has committed, so a Kafka offset
 * committed after it never covers unsaved work. When a step fails, the state is rebuilt from the
 * tables and the step tried again, with a growing pause, until it is saved.
 */
@ApplicationScoped
public class TaskScheduler {

    /** The {@code source} of the events the scheduler produces. */
    public static final String SOURCE = "scheduler";

    private static final Logger LOG = Logger.getLogger(TaskScheduler.class);

    private static final Map<EventType, AgentStatus> AGENT_STATUS_AFTER = Map.of(
            EventType.AGENT_STARTED, AgentStatus.RUNNING,
            EventType.AGENT_RESUMED, AgentStatus.RUNNING,
            EventType.AGENT_PAUSED, AgentStatus.PAUSED,
            EventType.AGENT_STOPPED, AgentStatus.STOPPED,
            EventType.AGENT_FAILED, AgentStatus.FAILED);

    private static final Set<EventType> TASK_PROGRESS =
            Set.of(EventType.TASK_STARTED, EventType.TASK_COMPLETED, EventType.TASK_FAILED);

    private final SchedulerStore store;
    private final FleetTopicAdmin topics;
    private final SchedulerConfig config;
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "scheduler-loop"));
    private final AtomicInteger readyTasks = new AtomicInteger();
    private final AtomicInteger freeAgents = new AtomicInteger();
    private volatile boolean healthy;

    /** Owned by the loop thread. */
    private SchedulerState state;

    public TaskScheduler(SchedulerStore store, FleetTopicAdmin topics, SchedulerConfig config, MeterRegistry registry) {
        this.store = store;
        this.topics = topics;
        this.config = config;
        registry.gauge("miminions.scheduler.ready.tasks", readyTasks);
        registry.gauge("miminions.scheduler.free.agents", freeAgents);
    }

    /**
     * Rebuilds the state from the tables and assigns what can be assigned. Blocks until that is
     * saved; throws if it cannot be.
     */
    public void restore() {
        try {
            loop.submit(() -> {
                state = null;
                step(changes -> { });
            }).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the scheduler could not restore its state: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while restoring the scheduler's state");
        }
    }

    /** Takes an accepted task; a task already received is ignored. Completes once saved. */
    public Uni<Void> accept(AcceptedTask task) {
        return submit("task " + task.taskId(), changes -> {
            if (state.isUnfinished(task.taskId())) {
                return;
            }
            Set<String> lookUp = Stream.concat(Stream.of(task.taskId()), task.dependencies().stream())
                    .filter(id -> !state.isUnfinished(id))
                    .collect(Collectors.toSet());
            Map<String, TaskStatus> stored = await(store.statuses(lookUp));
            if (!stored.containsKey(task.taskId())) {
                state.accept(task, completedAmong(stored), changes);
            }
        });
    }

    /**
     * Records an agent's lifecycle event or the progress of a task attempt; progress of an attempt
     * that is not the task's current one, or of a finished task, is ignored, and so are other events.
     * Completes once saved.
     */
    public Uni<Void> record(Event event) {
        AgentStatus agentStatus = AGENT_STATUS_AFTER.get(event.type());
        if (agentStatus == null && !TASK_PROGRESS.contains(event.type())) {
            return Uni.createFrom().voidItem();
        }
        if (agentStatus != null && event.agentId() != null) {
            return submit(event.type() + " of agent " + event.agentId(), changes -> {
                if (agentStatus == AgentStatus.RUNNING) {
                    topics.ensureAgentTopic(event.agentId());
                }
                state.agentChanged(event.agentId(), agentStatus, changes);
            });
        }
        Integer attempt = event.data().get("attempt") instanceof Number n ? n.intValue() : null;
        if (agentStatus == null && event.taskId() != null && attempt != null) {
            return submit(event.type() + " of task " + event.taskId(), changes -> {
                switch (event.type()) {
                    case TASK_STARTED -> state.started(event.taskId(), attempt, changes);
                    case TASK_COMPLETED -> state.completed(event.taskId(), attempt, event.data().get("output"), changes);
                    default -> state.failed(event.taskId(), attempt, errorOf(event), changes);
                }
            });
        }
        LOG.warnf("ignoring %s event %s: it lacks the agent id, the task id or the attempt", event.type(), event.eventId());
        return Uni.createFrom().voidItem();
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

    private Uni<Void> submit(String input, Consumer<StateChanges> apply) {
        return Uni.createFrom().completionStage(() -> CompletableFuture.runAsync(() -> stepUntilSaved(input, apply), loop));
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
        StateChanges changes = new StateChanges();
        if (state == null) {
            state = reload(changes);
        }
        apply.accept(changes);
        state.dispatch(changes);
        if (!changes.isEmpty()) {
            await(store.save(changes, outboxRecords(changes)));
        }
        readyTasks.set(state.readyCount());
        freeAgents.set(state.freeAgentCount());
        healthy = true;
    }

    private SchedulerState reload(StateChanges changes) {
        Map<String, AgentStatus> agents = await(store.agents());
        List<ScheduledTask> unfinished = await(store.unfinishedTasks());
        Set<String> unfinishedIds = unfinished.stream().map(ScheduledTask::taskId).collect(Collectors.toSet());
        Set<String> finishedDependencies = new HashSet<>();
        unfinished.stream().filter(task -> task.status() == TaskStatus.PENDING)
                .flatMap(task -> task.dependencies().stream())
                .filter(id -> !unfinishedIds.contains(id))
                .forEach(finishedDependencies::add);
        Set<String> completed = completedAmong(await(store.statuses(finishedDependencies)));

        SchedulerState restored = new SchedulerState(await(store.lastSeq()));
        agents.forEach(restored::restoreAgent);
        unfinished.forEach(task -> restored.restore(task, completed, changes));
        LOG.infof("scheduler state restored: %d unfinished tasks, %d agents", unfinished.size(), agents.size());
        return restored;
    }

    private <T> T await(Uni<T> uni) {
        return uni.await().atMost(config.databaseTimeout());
    }

    private static Set<String> completedAmong(Map<String, TaskStatus> statuses) {
        return statuses.entrySet().stream()
                .filter(entry -> entry.getValue() == TaskStatus.COMPLETED)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private static String errorOf(Event failed) {
        return failed.data().get("errorType") + ": " + failed.data().get("errorMessage");
    }

    /** The records that announce a step's transitions: TASK_QUEUED events, assignments with their TASK_ASSIGNED events. */
    private static List<OutboxRecord> outboxRecords(StateChanges changes) {
        List<OutboxRecord> records = new ArrayList<>();
        for (ScheduledTask task : changes.queued()) {
            records.add(OutboxRecord.event(Event.of(EventType.TASK_QUEUED, SOURCE, null, task.taskId(),
                    Map.of("priority", task.priority()))));
        }
        Instant now = Instant.now();
        for (ScheduledTask task : changes.assigned()) {
            Assignment assignment = new Assignment(task.taskId(), task.attempt(), task.assignedAgent(), task.name(),
                    task.input(), task.priority(), task.timeoutSeconds(), now);
            records.add(OutboxRecord.of(Topics.agentTopic(task.assignedAgent()), null, task.taskId(), assignment));
            records.add(OutboxRecord.event(Event.of(EventType.TASK_ASSIGNED, SOURCE, task.assignedAgent(), task.taskId(),
                    Map.of("attempt", task.attempt()))));
        }
        return records;
    }
}
