package io.miminions.agenthost.testagents;

import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** A test agent whose tasks never finish on their own: each waits until its thread is interrupted. */
public class BlockingAgent extends Agent {

    @Override
    public Map<String, Object> execute(Task task) throws InterruptedException {
        new CountDownLatch(1).await();
        return Map.of();
    }
}
