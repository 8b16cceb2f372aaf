package io.miminions.agenthost.testagents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A test agent whose {@code onStart} throws; remembers the agents whose {@code onStop} ran. */
public class FailingStartAgent extends Agent {

    public static final Set<String> STOPPED = ConcurrentHashMap.newKeySet();

    @Override
    public void onStart() {
        throw new IllegalStateException("the database is down");
    }

    @Override
    public Map<String, Object> execute(Task task) {
        return Map.of();
    }

    @Override
    public void onStop() {
        STOPPED.add(context().agentId());
    }
}
