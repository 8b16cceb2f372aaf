package io.miminions.intake.service;

import io.miminions.intake.RegisteredAgent;
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
import io.miminions.intake.outbox.Outbox;
import io.miminions.outbox.OutboxRecord;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Registers agents and turns lifecycle requests into commands on {@link Topics#AGENTS_CONTROL},
 * written to the outbox in the same transaction as the agent's row.
 */
@ApplicationScoped
public class AgentRegistry {

    /** A built-in agent's simple name or a fully qualified Java class name. */
    private static final Pattern AGENT_TYPE = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*");
    private static final Set<AgentStatus> STARTABLE = EnumSet.of(AgentStatus.REGISTERED, AgentStatus.STOPPED, AgentStatus.FAILED);

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;
    private final Waiters waiters;

    AgentRegistry(Mutiny.SessionFactory sessions, Outbox outbox, Waiters waiters) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.waiters = waiters;
    }

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
        return sessions.withTransaction(session -> session.persist(agent)
                .chain(() -> outbox.append(session, List.of(OutboxRecord.event(registered))))
                .replaceWith(agent::toView));
    }

    /** Asks the agent's host to start it; the status turns RUNNING when the host reports AGENT_STARTED. */
    public Uni<AgentView> start(String agentId) {
        return sessions.withTransaction(session -> session.find(RegisteredAgent.class, agentId).chain(agent -> {
            if (agent == null) {
                return Uni.createFrom().failure(new UnknownResourceException("agent", agentId));
            }
            if (!STARTABLE.contains(agent.status)) {
                return Uni.createFrom().failure(new IllegalAgentTransitionException(agentId, "start", agent.status, STARTABLE));
            }
            AgentCommand command = new AgentCommand(UUID.randomUUID().toString(), agentId, agent.name, agent.agentType,
                    agent.config, AgentAction.START, agent.generation, AgentLimits.NONE, Instant.now());
            OutboxRecord record = new OutboxRecord(command.commandId(), Topics.AGENTS_CONTROL, null, agentId,
                    Json.write(command));
            return outbox.append(session, List.of(record)).replaceWith(agent::toView);
        }));
    }

    public Uni<AgentView> find(String agentId) {
        return sessions.withSession(session -> session.find(RegisteredAgent.class, agentId))
                .onItem().ifNull().failWith(() -> new UnknownResourceException("agent", agentId))
                .map(RegisteredAgent::toView);
    }

    /** Answers the agent once its status is one of {@code statuses}, or as it is when {@code timeout} passes. */
    public Uni<AgentView> awaitStatus(String agentId, Set<AgentStatus> statuses, Duration timeout) {
        return waiters.await(agentId, this::find, view -> statuses.contains(view.status()), Instant.now().plus(timeout));
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
