package io.miminions.agenthost.messaging;

import io.miminions.model.AgentAction;
import io.miminions.model.AgentCommand;
import io.miminions.model.AgentLimits;
import io.miminions.model.AgentStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may receive messages: every agent of the fleet with the status its latest lifecycle command
 * asks for (START and RESUME: RUNNING; PAUSE: PAUSED; STOP and STOP_NOW: STOPPED) and its limits.
 * Each host keeps the whole directory, fed by {@link ControlTopicReader} from the compacted control
 * topic, so a send is checked where it is made, without asking another service.
 *
 * <p>It knows what was asked, not what the hosts did: an agent whose start failed stays RUNNING here
 * until it is stopped or started again.
 */
@ApplicationScoped
public class AgentDirectory {

    /**
     * One agent as the directory knows it.
     *
     * @param status RUNNING, PAUSED or STOPPED
     */
    public record Entry(AgentStatus status, AgentLimits limits) {

        /** True when messages may be sent to the agent. */
        public boolean reachable() {
            return status == AgentStatus.RUNNING || status == AgentStatus.PAUSED;
        }
    }

    private final Map<String, Entry> agents = new ConcurrentHashMap<>();
    /** How far the control topic has been read: partition → the offset of the next record. */
    private final Map<Integer, Long> positions = new HashMap<>();

    /** Takes in the latest command of an agent; null (a tombstone) when it was deregistered. */
    public void apply(String agentId, AgentCommand command) {
        if (command == null) {
            agents.remove(agentId);
        } else {
            agents.put(agentId, new Entry(statusAfter(command.action()), command.limits()));
        }
    }

    /** The agent, unless it never received a command or was deregistered. */
    public Optional<Entry> lookup(String agentId) {
        return Optional.ofNullable(agents.get(agentId));
    }

    /** The agents that may receive messages now. */
    public List<String> reachable() {
        return agents.entrySet().stream().filter(e -> e.getValue().reachable()).map(Map.Entry::getKey).toList();
    }

    /** Records how far the control topic has been read, and wakes the senders waiting for it. */
    public synchronized void advanced(Map<Integer, Long> readUpTo) {
        positions.putAll(readUpTo);
        notifyAll();
    }

    /**
     * Waits until every partition has been read up to the given offset, at most {@code timeout}.
     *
     * @return false when the directory is still behind after the timeout
     */
    public synchronized boolean awaitRead(Map<Integer, Long> offsets, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!hasRead(offsets)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private boolean hasRead(Map<Integer, Long> offsets) {
        return offsets.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /** The status an agent has once its host carried out the action. */
    static AgentStatus statusAfter(AgentAction action) {
        return switch (action) {
            case START, RESUME -> AgentStatus.RUNNING;
            case PAUSE -> AgentStatus.PAUSED;
            case STOP, STOP_NOW -> AgentStatus.STOPPED;
        };
    }
}
