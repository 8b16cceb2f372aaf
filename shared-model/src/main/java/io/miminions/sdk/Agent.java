package io.miminions.sdk;

import java.util.Map;
import java.util.Objects;

/**
 * The base class of every agent. Write a subclass with a public no-argument constructor and
 * implement {@link #execute(Task)}; the agent host creates one instance per registered agent and
 * calls it from one virtual thread at a time.
 *
 * <pre>{@code
 * public class HelloAgent extends Agent {
 *     public Map<String, Object> execute(Task task) {
 *         return Map.of("greeting", "Hello, " + task.input().getOrDefault("name", "World") + "!");
 *     }
 * }
 * }</pre>
 *
 * <p>An exception thrown by {@code execute} fails that task only; the agent goes on with the next.
 */
public abstract class Agent {

    private AgentContext context;

    /** Runs one task and returns its output. */
    public abstract Map<String, Object> execute(Task task) throws Exception;

    /** Called once when the agent starts, before its first task. */
    public void onStart() throws Exception {
    }

    /** Called once when the agent stops, also when it stops because of a failure. */
    public void onStop() throws Exception {
    }

    /** Called when the agent is paused; the returned state is saved and handed to {@link #onResume(Map)}. */
    public Map<String, Object> onPause() throws Exception {
        return Map.of();
    }

    /** Called when the agent resumes, with the state {@link #onPause()} returned. */
    public void onResume(Map<String, Object> state) throws Exception {
    }

    /** The runtime around this agent; available from {@link #onStart()} on. */
    protected final AgentContext context() {
        if (context == null) {
            throw new IllegalStateException("the agent is not attached to a runtime yet");
        }
        return context;
    }

    /** Called by the agent host before {@link #onStart()}; not for agent code. */
    public final void attach(AgentContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }
}
