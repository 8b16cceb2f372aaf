package io.miminions.examples.agents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.Map;

/**
 * The seed's broadcaster (example 6): tells every other running or paused agent of the fleet that
 * maintenance is coming, with one {@code alert} message. Output: {@code {"status": "broadcast_sent",
 * "messageId": …}}.
 */
public class BroadcasterAgent extends Agent {

    @Override
    public Map<String, Object> execute(Task task) {
        String messageId = context().broadcastMessage("alert",
                Map.of("message", "System maintenance in 5 minutes", "severity", "high"));
        return Map.of("status", "broadcast_sent", "messageId", messageId);
    }
}
