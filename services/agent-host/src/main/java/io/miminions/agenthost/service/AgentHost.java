package io.miminions.agenthost.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.miminions.agenthost.AgentFactory;
import io.miminions.agenthost.HostEvents;
import io.miminions.agenthost.config.AgentHostConfig;
import io.miminions.agenthost.config.FleetKafkaConfig;
import io.miminions.agenthost.config.KafkaClients;
import io.miminions.agenthost.service.HostedAgent.StopMode;
import io.miminions.model.AgentCommand;
import io.miminions.model.HostHeartbeat;
import io.miminions.model.TaskInterrupt;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/** The agents this host runs, by agent id: starts, stops and hands them over. */
@ApplicationScoped
public class AgentHost {

    private static final Logger LOG = Logger.getLogger(AgentHost.class);

    private final Map<String, HostedAgent> hosted = new ConcurrentHashMap<>();
    private final AgentRuntime runtime;
    private final Duration stopTimeout;

    public AgentHost(AgentHostConfig config, FleetKafkaConfig fleet, KafkaClients kafka, EventPublisher events,
            MeterRegistry meters) {
        String hostId = config.hostId().orElseGet(AgentHost::defaultHostId);
        AgentFactory agents = AgentFactory.create(AgentHost.class.getClassLoader(), config.agentJars());
        this.runtime = new AgentRuntime(agents, events, kafka, hostId, config.pollTimeout(), fleet.replicationFactor());
        this.stopTimeout = config.stopTimeout();
        meters.gaugeMapSize("miminions.agent.host.agents", Tags.empty(), hosted);
        LOG.infof("agent host %s", hostId);
    }

    /** Starts the agent unless it runs here already; waits first for an instance of it that is still stopping. */
    public void start(AgentCommand definition, int controlPartition) {
        String agentId = definition.agentId();
        HostedAgent existing = hosted.get(agentId);
        if (existing != null) {
            if (existing.isRunning()) {
                LOG.debugf("agent %s runs here already", agentId);
                return;
            }
            if (!awaitStop(existing)) {
                runtime.events().publish(HostEvents.agentFailed(agentId, "its previous instance on host "
                        + runtime.hostId() + " did not stop within " + stopTimeout));
                return;
            }
        }
        HostedAgent agent = new HostedAgent(definition, controlPartition, runtime, a -> hosted.remove(a.agentId(), a));
        hosted.put(agentId, agent);
        agent.start();
    }

    /** Asks the agent to stop, if it runs here; returns at once. */
    public void stop(String agentId, StopMode mode) {
        HostedAgent agent = hosted.get(agentId);
        if (agent == null) {
            LOG.debugf("agent %s does not run here; nothing to stop", agentId);
            return;
        }
        agent.stop(mode);
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

    /** This host's id in events and heartbeats. */
    public String hostId() {
        return runtime.hostId();
    }

    /** Stops the agents of control partitions that moved to another host, and waits for them to stop. */
    public void handOver(Set<Integer> controlPartitions) {
        handOver(agent -> controlPartitions.contains(agent.controlPartition()));
    }

    /** Stops every agent of this host, and waits for them to stop. */
    public void handOverAll() {
        handOver(agent -> true);
    }

    private void handOver(Predicate<HostedAgent> which) {
        List<HostedAgent> leaving = hosted.values().stream().filter(which).toList();
        leaving.forEach(agent -> agent.stop(StopMode.HAND_OVER));
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

    private static String defaultHostId() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + suffix;
        } catch (UnknownHostException e) {
            return "agent-host-" + suffix;
        }
    }
}
