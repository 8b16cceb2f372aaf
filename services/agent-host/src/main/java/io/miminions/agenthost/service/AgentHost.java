package io.miminions.agenthost.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.miminions.agenthost.AgentFactory;
import io.miminions.agenthost.HostEvents;
import io.miminions.agenthost.config.AgentHostConfig;
import io.miminions.agenthost.config.FleetKafkaConfig;
import io.miminions.agenthost.config.KafkaClients;
import io.miminions.agenthost.messaging.Messaging;
import io.miminions.agenthost.service.HostedAgent.StopMode;
import io.miminions.model.AgentAction;
import io.miminions.model.AgentCommand;
import io.miminions.model.HostHeartbeat;
import io.miminions.model.TaskInterrupt;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The agents this host runs, by agent id: brings each to the state its latest command asks for,
 * stops, hands over and drops them.
 *
 * <p>Every START begins a new generation of an agent. A command of an older generation than the
 * instance running here is stale and ignored; one of a newer generation stops the instance (letting
 * its task finish) and brings up the new one. A generation that stopped or failed here is not brought
 * up again by a repeated delivery of its command.
 */
@ApplicationScoped
public class AgentHost {

    private static final Logger LOG = Logger.getLogger(AgentHost.class);

    private final Map<String, HostedAgent> hosted = new ConcurrentHashMap<>();
    /** The generation of each agent whose latest instance here has ended, with its control partition. */
    private final Map<String, Ended> ended = new ConcurrentHashMap<>();
    private final AgentRuntime runtime;
    private final Duration stopTimeout;

    public AgentHost(AgentHostConfig config, FleetKafkaConfig fleet, KafkaClients kafka, EventPublisher events,
            AgentSnapshots snapshots, ControlPartitions ownership, MeterRegistry meters, Messaging messaging) {
        String hostId = config.hostId().orElseGet(AgentHost::defaultHostId);
        AgentFactory agents = AgentFactory.create(AgentHost.class.getClassLoader(), config.agentJars());
        this.runtime = new AgentRuntime(agents, events, kafka, snapshots, ownership, hostId, config.pollTimeout(),
                fleet.replicationFactor(), messaging);
        this.stopTimeout = config.stopTimeout();
        meters.gaugeMapSize("miminions.agent.host.agents", Tags.empty(), hosted);
        LOG.infof("agent host %s", hostId);
    }

    /** Brings the agent to the state the command asks for; {@code controlPartition} is where the command was read. */
    public void apply(AgentCommand command, int controlPartition) {
        switch (command.action()) {
            case START, RESUME -> run(command, controlPartition, false);
            case PAUSE -> run(command, controlPartition, true);
            case STOP -> stop(command, StopMode.FINISH_TASK);
            case STOP_NOW -> stop(command, StopMode.CANCEL_TASK);
        }
    }

    /**
     * The agent was deregistered (a tombstone on its control partition): it stops at once if it runs
     * here, and its saved state is deleted.
     */
    public void deregister(String agentId, int controlPartition) {
        HostedAgent agent = hosted.get(agentId);
        if (agent != null) {
            agent.stop(StopMode.CANCEL_TASK);
        }
        ended.remove(agentId);
        runtime.snapshots().delete(agentId, controlPartition);
    }

    /**
     * START, RESUME or PAUSE: the instance of the command's generation runs here (paused or not, as
     * asked), replacing an instance of an older generation.
     */
    private void run(AgentCommand command, int controlPartition, boolean paused) {
        String agentId = command.agentId();
        Ended last = ended.get(agentId);
        if (last != null && last.generation >= command.generation()) {
            LOG.debugf("generation %d of agent %s has ended here; ignoring %s", command.generation(), agentId, command.action());
            return;
        }
        HostedAgent existing = hosted.get(agentId);
        if (existing != null && existing.generation() > command.generation()) {
            LOG.debugf("ignoring %s of generation %d of agent %s: generation %d runs here", command.action(),
                    command.generation(), agentId, existing.generation());
            return;
        }
        if (existing != null && existing.generation() == command.generation() && existing.isRunning()) {
            if (command.action() == AgentAction.PAUSE) {
                existing.pause();
            } else if (command.action() == AgentAction.RESUME) {
                existing.resume();
            }
            return;
        }
        if (existing != null) {
            existing.stop(StopMode.FINISH_TASK);
            if (!awaitStop(existing)) {
                runtime.events().publish(HostEvents.agentFailed(command, runtime.hostId(), "its previous instance on host "
                        + runtime.hostId() + " did not stop within " + stopTimeout, Map.of()));
                return;
            }
        }
        HostedAgent agent = new HostedAgent(command, controlPartition, paused, runtime, this::terminated);
        hosted.put(agentId, agent);
        agent.start();
    }

    /** STOP or STOP_NOW: the instance running here stops, unless it is of a newer generation. */
    private void stop(AgentCommand command, StopMode mode) {
        HostedAgent agent = hosted.get(command.agentId());
        if (agent == null || agent.generation() > command.generation()) {
            LOG.debugf("agent %s does not run here in generation %d; nothing to stop", command.agentId(), command.generation());
            return;
        }
        agent.stop(mode);
    }

    private void terminated(HostedAgent agent) {
        if (hosted.remove(agent.agentId(), agent)) {
            ended.put(agent.agentId(), new Ended(agent.controlPartition(), agent.generation()));
        }
    }

    /**
     * Passes the scheduler's interrupt to the agent it names, if that agent runs here: it stops the
     * attempt if it runs, and skips its assignment if it comes later.
     */
    public void interrupt(TaskInterrupt interrupt) {
        HostedAgent agent = interrupt.agentId() == null ? null : hosted.get(interrupt.agentId());
        if (agent != null) {
            agent.interrupt(interrupt);
        }
    }

    /** The agents this host runs, each with the attempt it executes: what its heartbeat says. */
    public List<HostHeartbeat.AgentLease> leases() {
        return hosted.values().stream().map(HostedAgent::lease).toList();
    }

    /** The agent, if it runs here. */
    public Optional<HostedAgent> agent(String agentId) {
        return Optional.ofNullable(hosted.get(agentId));
    }

    /** The agents running here. */
    public Collection<HostedAgent> agents() {
        return List.copyOf(hosted.values());
    }

    /** This host's id in events and heartbeats. */
    public String hostId() {
        return runtime.hostId();
    }

    /**
     * Hands over the agents of control partitions that moved to another host: each finishes its task,
     * saves its state and stops; waits for them. Their partitions' ended generations are forgotten:
     * the next owner decides.
     */
    public void handOver(Set<Integer> controlPartitions) {
        stopAll(agent -> controlPartitions.contains(agent.controlPartition()), StopMode.HAND_OVER);
        ended.values().removeIf(last -> controlPartitions.contains(last.partition));
    }

    /** Hands over every agent of this host (it shuts down), and waits for them. */
    public void handOverAll() {
        stopAll(agent -> true, StopMode.HAND_OVER);
    }

    /**
     * Drops the agents of control partitions this host lost (it was thrown out of the control group):
     * their running tasks are abandoned and nothing is saved, since the new owner may run them already.
     */
    public void drop(Set<Integer> controlPartitions) {
        stopAll(agent -> controlPartitions.contains(agent.controlPartition()), StopMode.DROP);
        ended.values().removeIf(last -> controlPartitions.contains(last.partition));
    }

    private void stopAll(Predicate<HostedAgent> which, StopMode mode) {
        List<HostedAgent> leaving = hosted.values().stream().filter(which).toList();
        leaving.forEach(agent -> agent.stop(mode));
        leaving.forEach(this::awaitStop);
    }

    private boolean awaitStop(HostedAgent agent) {
        try {
            if (agent.awaitStop(stopTimeout)) {
                return true;
            }
            LOG.errorf("agent %s did not stop", agent.agentId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** An agent generation that ended here, and the control partition its commands came on. */
    private record Ended(int partition, long generation) {
    }

    private static String defaultHostId() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + suffix;
        } catch (UnknownHostException e) {
            return "agent-host-" + suffix;
        }
    }
}
