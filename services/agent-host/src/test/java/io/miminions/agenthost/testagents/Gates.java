package io.miminions.agenthost.testagents;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/** Named gates a test opens to let a waiting task finish. */
public final class Gates {

    private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

    private Gates() {
    }

    /** Waits until the test opens the gate of this name. */
    public static void pass(String name) throws InterruptedException {
        gate(name).await();
    }

    public static void open(String name) {
        gate(name).countDown();
    }

    private static CountDownLatch gate(String name) {
        return GATES.computeIfAbsent(name, n -> new CountDownLatch(1));
    }
}
