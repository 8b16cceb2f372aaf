package io.miminions.intake.service;

import io.miminions.intake.RegisteredAgent;
import io.miminions.intake.config.IntakeConfig;
import io.miminions.intake.outbox.Outbox;
import io.miminions.model.AgentAction;
import io.miminions.model.AgentCommand;
import io.miminions.model.AgentLimits;
import io.miminions.model.AgentStatus;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import io.miminions.model.Json;
import io.miminions.model.Topics;
import io.miminions.model.api.AgentRegistration;
import io.miminions.model.api.AgentView;
import io.miminions.outbox.OutboxRecord;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Registers agents and turns lifecycle requests into commands on {@link Topics#AGENTS_CONTROL},
 * written to the outbox in the same transaction as the agent's row. A request locks the agent's
 * row and is checked against its desired status ({@link AgentLifecycle}); starts also take a lock
 * of their own, so the concurrent-agents limit holds however many requests arrive at once.
 */
@ApplicationScoped
public class AgentRegistry {

    /** A built-in agent's simple name or a fully qualified Java class name. */
    private static final Pattern AGENT_TYPE = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*");
    /** The key of the transaction-scoped advisory lock every start takes (unique in the database). */
    private static final long START_LOCK = 0x6d696d696e696f02L;

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;
    private final Waiters waiters;
    private final IntakeConfig config;
    private final AgentTopics topics;

    AgentRegistry(Mutiny.SessionFactory sessions, Outbox outbox, Waiters waiters, IntakeConfig config, AgentTopics topics) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.waiters = waiters;
        this.config = config;
        this.topics = topics;
    }

    /**
     * Stores the agent and creates its topic first, so that other agents can message it from the
     * moment it is registered (messages wait in its inbox until it runs and reads them).
     */
    public Uni<AgentView> register(AgentRegistration registration) {
        validate(registration);
        RegisteredAgent agent = new RegisteredAgent();
        agent.agentId = UUID.randomUUID().toString();
        agent.name = registration.name();
        agent.agentType = registration.agentType();
        agent.config = registration.config();
        agent.status = AgentStatus.REGISTERED;
        agent.desiredStatus = AgentStatus.REGISTERED;
        agent.registeredAt = Instant.now();
        agent.updatedAt = agent.registeredAt;
        Event registered = Event.of(EventType.AGENT_REGISTERED, TaskIntake.SOURCE, agent.agentId, null,
                Map.of("name", agent.name, "agentType", agent.agentType));
        return topics.create(agent.agentId)
                .chain(() -> sessions.withTransaction(session -> session.persist(agent)
                        .chain(() -> outbox.append(session, List.of(OutboxRecord.event(registered))))
                        .replaceWith(agent::toView)));
    }

    /**
     * Asks a host to start the agent as a new run (generation); the status turns RUNNING when the
     * host reports AGENT_STARTED.
     *
     * @throws AgentLimitReachedException when {@code maxConcurrentAgents} agents are started already
     */
    public Uni<AgentView> start(String agentId) {
        return sessions.withTransaction(session -> session
                .createNativeQuery("SELECT CAST(pg_advisory_xact_lock(" + START_LOCK + ") AS text)", String.class)
                .getSingleResult()
                .chain(() -> lockAgent(session, agentId, AgentLifecycle.START))
                .call(agent -> session.createSelectionQuery(
                                "select count(a) from RegisteredAgent a where a.active and a.agentId <> :agentId", Long.class)
                        .setParameter("agentId", agentId)
                        .getSingleResult()
                        .invoke(started -> {
                            if (started >= config.maxConcurrentAgents()) {
                                throw new AgentLimitReachedException(config.maxConcurrentAgents());
                            }
                        }))
                .chain(agent -> {
                    agent.generation++;
                    agent.active = true;
                    agent.reason = null;
                    return command(session, agent, AgentLifecycle.START, AgentAction.START);
                }));
    }

    /** Asks the agent's host to pause it once its running task has ended; the status turns PAUSED then. */
    public Uni<AgentView> pause(String agentId) {
        return sessions.withTransaction(session -> lockAgent(session, agentId, AgentLifecycle.PAUSE)
                .chain(agent -> command(session, agent, AgentLifecycle.PAUSE, AgentAction.PAUSE)));
    }

    /** Asks the agent's host to resume it from the state it saved when it paused. */
    public Uni<AgentView> resume(String agentId) {
        return sessions.withTransaction(session -> lockAgent(session, agentId, AgentLifecycle.RESUME)
                .chain(agent -> command(session, agent, AgentLifecycle.RESUME, AgentAction.RESUME)));
    }

    /**
     * Asks the agent's host to stop it: {@code graceful} lets the running task finish (the agent
     * sees {@code isStopping()}), otherwise the task is cancelled. An agent no host reported running
     * leaves the concurrent-agents count at once; a running one when its host reports it stopped.
     */
    public Uni<AgentView> stop(String agentId, boolean graceful) {
        return sessions.withTransaction(session -> lockAgent(session, agentId, AgentLifecycle.STOP).chain(agent -> {
            if (agent.status != AgentStatus.RUNNING && agent.status != AgentStatus.PAUSED) {
                agent.active = false;
            }
            return command(session, agent, AgentLifecycle.STOP, graceful ? AgentAction.STOP : AgentAction.STOP_NOW);
        }));
    }

    /**
     * Removes a stopped (or never started) agent: its control record is deleted, and its saved state
     * with it; then its topic, with any messages no one read.
     */
    public Uni<Void> deregister(String agentId) {
        return sessions.withTransaction(session -> lockAgent(session, agentId, AgentLifecycle.DEREGISTER).chain(agent -> {
            Event deregistered = Event.of(EventType.AGENT_DEREGISTERED, TaskIntake.SOURCE, agentId, null,
                    Map.of("name", agent.name));
            return session.remove(agent)
                    .chain(() -> outbox.append(session, List.of(
                            OutboxRecord.tombstone(Topics.AGENTS_CONTROL, agentId), OutboxRecord.event(deregistered))));
        })).call(() -> topics.delete(agentId)).invoke(() -> waiters.signal(agentId));
    }

    public Uni<AgentView> find(String agentId) {
        return sessions.withSession(session -> session.find(RegisteredAgent.class, agentId))
                .onItem().ifNull().failWith(() -> new UnknownResourceException("agent", agentId))
                .map(RegisteredAgent::toView);
    }

    /** The registered agents, oldest registration first; only those in {@code statuses} when any are named. */
    public Uni<List<AgentView>> list(Set<AgentStatus> statuses) {
        String where = statuses.isEmpty() ? "" : " where a.status in :statuses";
        return sessions.withSession(session -> {
            var query = session.createSelectionQuery("from RegisteredAgent a" + where + " order by a.registeredAt, a.agentId",
                    RegisteredAgent.class);
            if (!statuses.isEmpty()) {
                query.setParameter("statuses", statuses);
            }
            return query.getResultList();
        }).map(agents -> agents.stream().map(RegisteredAgent::toView).toList());
    }

    /** Answers the agent once its status is one of {@code statuses}, or as it is when {@code timeout} passes. */
    public Uni<AgentView> awaitStatus(String agentId, Set<AgentStatus> statuses, Duration timeout) {
        return waiters.await(agentId, this::find, view -> statuses.contains(view.status()), Instant.now().plus(timeout));
    }

    /**
     * Applies an agent host's report to the agent ({@link #applyToAgent}) and wakes its waiters. A
     * failure of the current run also writes a STOP command: the agent's latest control command then
     * says it must not run, so a host that takes over its partition later does not start it again.
     */
    public Uni<Void> applyHostReport(Event event) {
        return sessions.withTransaction(session -> session.find(RegisteredAgent.class, event.agentId()).chain(agent -> {
            if (!applyToAgent(agent, event) || event.type() != EventType.AGENT_FAILED) {
                return Uni.createFrom().voidItem();
            }
            return outbox.append(session, List.of(commandRecord(agent, AgentAction.STOP)));
        })).invoke(() -> waiters.signal(event.agentId()));
    }

    /**
     * Moves the agent to what its host reported. Events of an earlier run (generation) than the
     * agent's current one change nothing. A stop or failure also ends the desired run, so the agent
     * leaves the concurrent-agents count and accepts a new start; a hand-over or a lost host only
     * clears the host the agent runs on, if it is still the one named.
     *
     * @return whether the report changed the agent (false for an unknown agent or an earlier run)
     */
    static boolean applyToAgent(RegisteredAgent agent, Event event) {
        if (agent == null) {
            return false;
        }
        Object generation = event.data().get("generation");
        if (generation instanceof Number n && n.longValue() < agent.generation) {
            return false;
        }
        String host = event.data().get("host") instanceof String h ? h : null;
        agent.updatedAt = event.time();
        switch (event.type()) {
            case AGENT_STARTED, AGENT_RESUMED, AGENT_PAUSED -> {
                agent.status = event.type() == EventType.AGENT_PAUSED ? AgentStatus.PAUSED : AgentStatus.RUNNING;
                agent.hostId = host;
                agent.reason = null;
            }
            case AGENT_STOPPED, AGENT_FAILED -> {
                agent.status = event.type() == EventType.AGENT_FAILED ? AgentStatus.FAILED : AgentStatus.STOPPED;
                agent.desiredStatus = agent.status;
                agent.active = false;
                agent.hostId = null;
                agent.reason = agent.status == AgentStatus.FAILED ? String.valueOf(event.data().get("reason")) : null;
            }
            case AGENT_HANDED_OVER, AGENT_LOST -> {
                if (host == null || host.equals(agent.hostId)) {
                    agent.hostId = null;
                }
                if (event.type() == EventType.AGENT_LOST) {
                    agent.reason = "its host " + host + " stopped sending heartbeats; it is placed on another host";
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** True for the events that change what the intake knows of an agent. */
    public static boolean changesAgent(EventType type) {
        return switch (type) {
            case AGENT_STARTED, AGENT_RESUMED, AGENT_PAUSED, AGENT_STOPPED, AGENT_FAILED, AGENT_HANDED_OVER, AGENT_LOST -> true;
            default -> false;
        };
    }

    private Uni<RegisteredAgent> lockAgent(Mutiny.Session session, String agentId, AgentLifecycle request) {
        return session.find(RegisteredAgent.class, agentId, LockModeType.PESSIMISTIC_WRITE).map(agent -> {
            if (agent == null) {
                throw new UnknownResourceException("agent", agentId);
            }
            if (!request.allowedFrom(agent.desiredStatus)) {
                throw new IllegalAgentTransitionException(agentId, request, agent.desiredStatus);
            }
            return agent;
        });
    }

    /** Moves the agent's desired status and writes the command that asks its host for it. */
    private Uni<AgentView> command(Mutiny.Session session, RegisteredAgent agent, AgentLifecycle request, AgentAction action) {
        agent.desiredStatus = request.target();
        agent.updatedAt = Instant.now();
        return outbox.append(session, List.of(commandRecord(agent, action))).replaceWith(agent::toView);
    }

    /** The control record of a command for the agent's current run, with its whole definition and limits. */
    private OutboxRecord commandRecord(RegisteredAgent agent, AgentAction action) {
        AgentCommand command = new AgentCommand(UUID.randomUUID().toString(), agent.agentId, agent.name, agent.agentType,
                agent.config, action, agent.generation,
                new AgentLimits(config.maxMemoryPerAgentMb(), config.messageQueueMaxSize()), Instant.now());
        return new OutboxRecord(command.commandId(), Topics.AGENTS_CONTROL, null, agent.agentId, Json.write(command));
    }

    private static void validate(AgentRegistration registration) {
        List<String> violations = new ArrayList<>();
        if (registration == null) {
            throw new InvalidRequestException(List.of("the body must be an agent registration"));
        }
        if (registration.name() == null || registration.name().isBlank()) {
            violations.add("name: must not be blank");
        }
        if (registration.agentType() == null || !AGENT_TYPE.matcher(registration.agentType()).matches()) {
            violations.add("agentType: must be a built-in agent name or a fully qualified class name, was "
                    + registration.agentType());
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
    }
}
