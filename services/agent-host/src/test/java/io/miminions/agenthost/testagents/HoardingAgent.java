package io.miminions.agenthost.testagents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A test agent that keeps 8 MiB more of heap with every task it executes. */
public class HoardingAgent extends Agent {

    public static final int CHUNK_BYTES = 8 * 1024 * 1024;

    private final List<byte[]> hoard = new ArrayList<>();

    @Override
    public Map<String, Object> execute(Task task) {
        hoard.add(new byte[CHUNK_BYTES]);
        return Map.of("heldMb", hoard.size() * 8);
    }
}
