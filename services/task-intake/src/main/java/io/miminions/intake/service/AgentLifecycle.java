package io.miminions.intake.service;

import io.miminions.model.AgentStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle rules: which requests an agent accepts in each status. They are checked against
 * the agent's desired status (what the last request asked for, or FAILED and STOPPED as its host
 * reported them), so two requests never contradict each other while a host is still carrying out
 * the first.
 *
 * <pre>
 * REGISTERED ─start→ RUNNING ─pause→ PAUSED ─resume→ RUNNING
 * RUNNING, PAUSED ─stop→ STOPPED ─start→ RUNNING
 * any live status ─(host reports a failure)→ FAILED ─start→ RUNNING
 * REGISTERED, STOPPED, FAILED ─deregister→ (gone)
 * </pre>
 */
public enum AgentLifecycle {
    START(AgentStatus.RUNNING, AgentStatus.REGISTERED, AgentStatus.STOPPED, AgentStatus.FAILED),
    PAUSE(AgentStatus.PAUSED, AgentStatus.RUNNING),
    RESUME(AgentStatus.RUNNING, AgentStatus.PAUSED),
    STOP(AgentStatus.STOPPED, AgentStatus.RUNNING, AgentStatus.PAUSED),
    DEREGISTER(null, AgentStatus.REGISTERED, AgentStatus.STOPPED, AgentStatus.FAILED);

    private static final Map<AgentStatus, Set<AgentLifecycle>> ALLOWED_IN = allowedIn();

    private final AgentStatus target;
    private final Set<AgentStatus> from;

    AgentLifecycle(AgentStatus target, AgentStatus first, AgentStatus... rest) {
        this.target = target;
        this.from = EnumSet.of(first, rest);
    }

    /** The desired status after this request; null for a deregistration. */
    public AgentStatus target() {
        return target;
    }

    /** Whether an agent whose desired status is {@code status} accepts this request. */
    public boolean allowedFrom(AgentStatus status) {
        return from.contains(status);
    }

    /** The requests an agent whose desired status is {@code status} accepts. */
    public static Set<AgentLifecycle> allowedIn(AgentStatus status) {
        return ALLOWED_IN.get(status);
    }

    /** The request's name as the API spells it. */
    public String requestName() {
        return name().toLowerCase();
    }

    private static Map<AgentStatus, Set<AgentLifecycle>> allowedIn() {
        Map<AgentStatus, Set<AgentLifecycle>> allowed = new EnumMap<>(AgentStatus.class);
        for (AgentStatus status : AgentStatus.values()) {
            Set<AgentLifecycle> requests = EnumSet.noneOf(AgentLifecycle.class);
            for (AgentLifecycle request : values()) {
                if (request.allowedFrom(status)) {
                    requests.add(request);
                }
            }
            allowed.put(status, Collections.unmodifiableSet(requests));
        }
        return allowed;
    }
}
