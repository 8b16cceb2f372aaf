package io.miminions.agenthost.service;

import io.miminions.model.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partitions of {@link Topics#AGENTS_CONTROL} this host owns right now, as the control
 * consumer's rebalances say. It fences hosted agents: an agent takes a new assignment only while its
 * host owns its control partition, so an agent whose partition was revoked or lost here does not run
 * beside its new owner.
 */
@ApplicationScoped
public class ControlPartitions {

    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();

    /** The partitions were assigned to this host. */
    public void assigned(Collection<Integer> partitions) {
        owned.addAll(partitions);
    }

    /** The partitions were revoked from this host or lost by it. */
    public void released(Collection<Integer> partitions) {
        owned.removeAll(partitions);
    }

    /** True while this host owns the partition. */
    public boolean owns(int partition) {
        return owned.contains(partition);
    }

    /** The partitions this host owns, in order. */
    public Set<Integer> owned() {
        return new TreeSet<>(owned);
    }
}
