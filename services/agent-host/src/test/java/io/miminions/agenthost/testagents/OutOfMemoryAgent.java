package io.miminions.agenthost.testagents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.Map;

/** A test agent whose task runs out of heap (it throws the error the JVM would). */
public class OutOfMemoryAgent extends Agent {

    @Override
    public Map<String, Object> execute(Task task) {
        throw new OutOfMemoryError("Java heap space");
    }
}
