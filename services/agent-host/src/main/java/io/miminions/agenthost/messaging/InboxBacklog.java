package io.miminions.agenthost.messaging;

import io.miminions.agenthost.service.HostedAgent;
import io.miminions.model.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Enforces {@code messageQueueMaxSize}: an agent's unread messages are the records of its inbox
 * partition past the offset its host committed in group {@value HostedAgent#OFFSETS_GROUP_ID} (which
 * moves only when messages are handed to the agent). Counted by the sender's host at each send, so
 * senders on any host see the same count. Senders that check at the same moment may each take the
 * last place: the bound can be passed by at most the number of concurrent senders.
 */
@ApplicationScoped
public class InboxBacklog {

    private final AgentDirectory directory;
    private final KafkaOffsets offsets;

    public InboxBacklog(AgentDirectory directory, KafkaOffsets offsets) {
        this.directory = directory;
        this.offsets = offsets;
    }

    /** The agents among these whose inbox holds as many unread messages as their bound, each with the reason. */
    public Map<String, String> full(Collection<String> agentIds) {
        Map<TopicPartition, Integer> bounds = new LinkedHashMap<>();
        Map<TopicPartition, String> agents = new HashMap<>();
        for (String agentId : agentIds) {
            int bound = directory.lookup(agentId).map(entry -> entry.limits().messageQueueMaxSize()).orElse(0);
            if (bound > 0) {
                TopicPartition inbox = new TopicPartition(Topics.agentTopic(agentId), Topics.AGENT_INBOX_PARTITION);
                bounds.put(inbox, bound);
                agents.put(inbox, agentId);
            }
        }
        if (bounds.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, Long> read = readUpTo(List.copyOf(bounds.keySet()));
        Map<TopicPartition, Long> ends = offsets.endOffsets(bounds.keySet());
        Map<String, String> full = new LinkedHashMap<>();
        bounds.forEach((inbox, bound) -> {
            long unread = ends.get(inbox) - read.get(inbox);
            if (unread >= bound) {
                full.put(agents.get(inbox), "its inbox is full: " + unread + " unread messages, messageQueueMaxSize " + bound);
            }
        });
        return full;
    }

    /** Where each inbox's unread messages begin: the committed offset, else the oldest record kept. */
    private Map<TopicPartition, Long> readUpTo(List<TopicPartition> inboxes) {
        Map<TopicPartition, Long> read = new HashMap<>(offsets.committedOffsets(HostedAgent.OFFSETS_GROUP_ID, inboxes));
        List<TopicPartition> neverCommitted = inboxes.stream().filter(p -> !read.containsKey(p)).toList();
        read.putAll(offsets.startOffsets(neverCommitted));
        return read;
    }
}
