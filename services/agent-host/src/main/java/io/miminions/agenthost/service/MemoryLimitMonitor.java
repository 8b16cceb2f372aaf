package io.miminions.agenthost.service;

import io.miminions.agenthost.config.AgentHostConfig;
import io.miminions.agenthost.memory.RetainedHeap;
import io.miminions.sdk.AgentContext;
import io.miminions.sdk.AgentLogger;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Enforces the agents' memory limits ({@code AgentLimits.maxMemoryMb}). Agents share this JVM's
 * heap, so the host measures what each one holds: every {@code memory-check-interval} one thread
 * walks the objects reachable from each limited agent instance ({@link RetainedHeap}), stopping once
 * past the limit, and an agent over its limit fails ({@link HostedAgent#measured(long)}).
 *
 * <p>Not counted: classes, class loaders, threads, loggers, the agent's context and anything reached
 * only through them (they belong to the host or to every agent), nor static fields.
 */
@ApplicationScoped
public class MemoryLimitMonitor {

    private static final Logger LOG = Logger.getLogger(MemoryLimitMonitor.class);

    /** Instances of these types are the host's or shared by every agent: not counted. */
    private static final List<Class<?>> SHARED = List.of(Class.class, ClassLoader.class, Thread.class, ThreadGroup.class,
            AgentContext.class, AgentLogger.class, Logger.class, java.util.logging.Logger.class, System.Logger.class,
            Enum.class);
    private static final ClassValue<Boolean> IS_SHARED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return SHARED.stream().anyMatch(shared -> shared.isAssignableFrom(type));
        }
    };

    private final AgentHost host;
    private final Duration interval;
    private final RetainedHeap heap = new RetainedHeap(IS_SHARED::get);
    private ScheduledExecutorService timer;

    public MemoryLimitMonitor(AgentHost host, AgentHostConfig config) {
        this.host = host;
        this.interval = config.memoryCheckInterval();
    }

    void onStart(@Observes StartupEvent startup) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("agent-memory").daemon().unstarted(r));
        timer.scheduleWithFixedDelay(this::checkAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onShutdown(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Measures every agent that has a memory limit, once. */
    void checkAll() {
        for (HostedAgent agent : host.agents()) {
            long limit = agent.memoryLimitBytes();
            if (limit > 0) {
                try {
                    agent.instance().ifPresent(instance -> agent.measured(heap.measure(instance, limit)));
                } catch (RuntimeException | OutOfMemoryError e) {
                    LOG.warnf(e, "cannot measure the heap of agent %s", agent.agentId());
                }
            }
        }
    }
}
