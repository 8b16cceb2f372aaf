package io.miminions.client;

import io.miminions.model.AgentStatus;
import io.miminions.model.Json;
import io.miminions.model.TaskStatus;
import io.miminions.model.TaskSubmission;
import io.miminions.model.api.AgentRegistration;
import io.miminions.model.api.AgentView;
import io.miminions.model.api.FleetLimits;
import io.miminions.model.api.Problem;
import io.miminions.model.api.TaskView;
import io.miminions.sdk.Agent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Java client of a miminions fleet: the seed's runtime verbs over the task-intake REST API.
 *
 * <pre>{@code
 * MiminionsClient fleet = MiminionsClient.connect(URI.create("http://localhost:8081"));
 * String agentId = fleet.registerAgent("hello-agent", "HelloAgent");
 * fleet.startAgent(agentId);
 * String taskId = fleet.submitTask("greet-user", Map.of("name", "Alice"));
 * System.out.println(fleet.waitForTask(taskId, Duration.ofSeconds(10)).output());
 * }</pre>
 *
 * <p>Priorities, dependencies, timeouts and retries go in {@link TaskOptions}:
 *
 * <pre>{@code
 * String download = fleet.submitTask("download-data", Map.of(), TaskOptions.builder().priority(0).build());
 * String process = fleet.submitTask("process-data", Map.of(), TaskOptions.builder().dependsOn(download).build());
 * }</pre>
 *
 * Instances are thread-safe. Failures are {@link MiminionsException}s: {@link ApiUnreachableException}
 * when the API does not answer, {@link ApiException} with the problem details when it refuses, and
 * among those {@link QueueFullException} and {@link SubmissionRejectedException} for a refused
 * submission and {@link OverloadedException} when the fleet stayed overloaded; {@link TaskTimeoutException} when a waited-for task timed out, and
 * {@link TaskWaitTimeoutException} when the wait ran out before the task ended.
 */
public final class MiminionsClient {

    /** What every request accepts: the answer, or the problem details of a refusal. */
    private static final String ACCEPT = "application/json, " + Problem.MEDIA_TYPE;
    /** How long one long-poll request may last; longer waits are made of several. */
    private static final Duration LONG_POLL = Duration.ofSeconds(30);
    private static final Duration DEFAULT_AGENT_TIMEOUT = Duration.ofSeconds(30);
    /** How long a submission is tried again while the fleet answers that it is overloaded. */
    private static final Duration OVERLOAD_PATIENCE = Duration.ofSeconds(30);

    private final ApiTransport api;

    private MiminionsClient(URI baseUri) {
        this.api = new ApiTransport(baseUri);
    }

    /** A client of the task-intake API at {@code baseUri}, for example {@code http://localhost:8081}. */
    public static MiminionsClient connect(URI baseUri) {
        return new MiminionsClient(baseUri);
    }

    /** Registers an agent of a built-in type ({@code "HelloAgent"}) or a class name; answers its id. */
    public String registerAgent(String name, String agentType) {
        return registerAgent(name, agentType, Map.of());
    }

    /** Registers an agent whose class is on the agent hosts' class path; answers its id. */
    public String registerAgent(String name, Class<? extends Agent> agentClass) {
        return registerAgent(name, agentClass.getName(), Map.of());
    }

    /** Registers an agent with a configuration map (its {@code context.config()}); answers its id. */
    public String registerAgent(String name, String agentType, Map<String, Object> config) {
        return send("POST", "agents", new AgentRegistration(name, agentType, config), AgentView.class).agentId();
    }

    /** Starts an agent and waits up to 30 s until a host runs it. */
    public AgentView startAgent(String agentId) {
        return startAgent(agentId, DEFAULT_AGENT_TIMEOUT);
    }

    /**
     * Starts an agent and waits until a host runs it.
     *
     * @throws AgentLimitException if the fleet runs its {@code maxConcurrentAgents} agents already
     * @throws AgentStartException if the host could not start it, or it is not running after {@code timeout}
     */
    public AgentView startAgent(String agentId, Duration timeout) {
        try {
            lifecycle(agentId, "start");
        } catch (ApiException e) {
            if (AgentLimitException.PROBLEM_TYPE.equals(e.problem().type())) {
                throw new AgentLimitException(e.problem());
            }
            throw e;
        }
        AgentView agent = awaitAgentStatus(agentId, timeout, AgentStatus.RUNNING, AgentStatus.FAILED);
        if (agent.status() == AgentStatus.FAILED) {
            throw new AgentStartException(agent, agent.reason());
        }
        if (agent.status() != AgentStatus.RUNNING) {
            throw new AgentStartException(agent, "still " + agent.status() + " after " + timeout.toSeconds() + " s");
        }
        return agent;
    }

    /**
     * Asks the fleet to pause a running agent and answers at once. The pause takes effect when the
     * agent's running task has ended: its host calls {@code onPause()}, saves the state it returns
     * and the status turns PAUSED (wait for it with {@link #awaitAgentStatus}). Tasks for it wait.
     *
     * @throws ApiException with status 409 if the agent is not running; the problem lists what it allows
     */
    public AgentView pauseAgent(String agentId) {
        return lifecycle(agentId, "pause");
    }

    /**
     * Asks the fleet to resume a paused agent and answers at once: its host calls
     * {@code onResume(state)} with the state saved at the pause, and the status turns RUNNING.
     *
     * @throws ApiException with status 409 if the agent is not paused
     */
    public AgentView resumeAgent(String agentId) {
        return lifecycle(agentId, "resume");
    }

    /**
     * Stops an agent and waits up to 30 s until it has stopped. Graceful: its running task finishes
     * ({@code context.isStopping()} turns true); otherwise the task is cancelled. {@code onStop()}
     * runs either way.
     *
     * @throws ApiException with status 409 if the agent is not running or paused
     */
    public AgentView stopAgent(String agentId, boolean graceful) {
        return stopAgent(agentId, graceful, DEFAULT_AGENT_TIMEOUT);
    }

    /** As {@link #stopAgent(String, boolean)}, waiting at most {@code timeout} for the agent to stop. */
    public AgentView stopAgent(String agentId, boolean graceful, Duration timeout) {
        send("POST", "agents/" + agentId + "/stop?graceful=" + graceful, null, AgentView.class);
        return awaitAgentStatus(agentId, timeout, AgentStatus.STOPPED, AgentStatus.FAILED);
    }

    /**
     * Removes an agent that is not started (registered, stopped or failed), with its saved state.
     *
     * @throws ApiException with status 409 if it is running or paused: stop it first
     */
    public void deregisterAgent(String agentId) {
        api.send(api.request("agents/" + agentId).header("Accept", ACCEPT).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The agent as the fleet last saw it. */
    public AgentView getAgentStatus(String agentId) {
        return send("GET", "agents/" + agentId, null, AgentView.class);
    }

    /** The registered agents, oldest first; only those in {@code statuses} when any are given. */
    public List<AgentView> listAgents(AgentStatus... statuses) {
        String query = Arrays.stream(statuses).map(s -> "status=" + s).collect(Collectors.joining("&", "?", ""));
        return List.of(send("GET", "agents" + (statuses.length == 0 ? "" : query), null, AgentView[].class));
    }

    /**
     * Waits until the agent's status is one of {@code statuses}, at most {@code timeout}, and answers
     * it as it is then (check its status: the wait may have run out).
     */
    public AgentView awaitAgentStatus(String agentId, Duration timeout, AgentStatus... statuses) {
        Set<AgentStatus> wanted = Set.of(statuses);
        String query = Arrays.stream(statuses).map(s -> "status=" + s).collect(Collectors.joining("&"));
        Instant deadline = Instant.now().plus(timeout);
        AgentView agent;
        do {
            agent = send("GET", "agents/" + agentId + "/wait?" + query + "&timeoutSeconds=" + secondsUntil(deadline), null,
                    AgentView.class);
        } while (!wanted.contains(agent.status()) && Instant.now().isBefore(deadline));
        return agent;
    }

    /** The fleet's resource limits. */
    public FleetLimits getLimits() {
        return send("GET", "limits", null, FleetLimits.class);
    }

    /** Submits a task with default priority, no dependencies and the fleet's default timeout; answers its id. */
    public String submitTask(String name, Map<String, Object> input) {
        return submitTask(TaskSubmission.of(name, input));
    }

    /**
     * Submits a task with these options (priority, dependencies, timeout, retry policy…); answers its id.
     *
     * @throws QueueFullException          when the fleet holds its {@code max-task-queue-size} unfinished tasks
     * @throws SubmissionRejectedException when the submission is invalid (for example an unknown dependency)
     */
    public String submitTask(String name, Map<String, Object> input, TaskOptions options) {
        return submitTask(new TaskSubmission(options.taskId(), name, input, options.priority(), options.dependencies(),
                options.timeoutSeconds(), options.agentId(), options.maxAttempts(), options.backoffSeconds()));
    }

    /**
     * Submits a task; answers its id. While the fleet answers that it is overloaded (503, nothing
     * stored) the submission is sent again after the pause it asks for, for up to 30 s.
     *
     * @throws QueueFullException          when the fleet holds its {@code max-task-queue-size} unfinished tasks
     * @throws OverloadedException         when the fleet is still overloaded after 30 s
     * @throws SubmissionRejectedException when the submission is invalid (for example an unknown dependency)
     */
    public String submitTask(TaskSubmission submission) {
        Instant giveUpAfter = Instant.now().plus(OVERLOAD_PATIENCE);
        while (true) {
            try {
                return send("POST", "tasks", submission, TaskView.class).taskId();
            } catch (OverloadedException e) {
                if (Instant.now().plus(e.retryAfter()).isAfter(giveUpAfter)) {
                    throw e;
                }
                pause(e.retryAfter());
            } catch (ApiException e) {
                throw switch (e.status()) {
                    case 429 -> new QueueFullException(e.problem());
                    case 400 -> new SubmissionRejectedException(e.problem());
                    default -> e;
                };
            }
        }
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MiminionsException("interrupted while waiting to submit again", e);
        }
    }

    /**
     * Asks the fleet to cancel a task that has not ended; answers the task as it is now. A pending or
     * queued task is cancelled at once, a running one is interrupted on its agent; either turns
     * CANCELLED shortly (wait for it with {@link #waitForTask}), and its dependants FAILED.
     *
     * @throws ApiException with status 404 for an unknown task, 409 for a task that has ended
     */
    public TaskView cancelTask(String taskId) {
        return send("POST", "tasks/" + taskId + "/cancel", null, TaskView.class);
    }

    /** The task as the fleet last saw it. */
    public TaskView getTask(String taskId) {
        return send("GET", "tasks/" + taskId, null, TaskView.class);
    }

    /**
     * Waits until the task ended (COMPLETED, FAILED or CANCELLED) and answers it.
     *
     * @throws TaskTimeoutException     if it ended TIMED_OUT: it ran longer than its timeout
     * @throws TaskWaitTimeoutException if it has not ended after {@code timeout}
     */
    public TaskView waitForTask(String taskId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        TaskView task;
        do {
            task = send("GET", "tasks/" + taskId + "/wait?timeoutSeconds=" + secondsUntil(deadline), null, TaskView.class);
        } while (!task.status().isFinal() && Instant.now().isBefore(deadline));
        if (!task.status().isFinal()) {
            throw new TaskWaitTimeoutException(task, timeout);
        }
        if (task.status() == TaskStatus.TIMED_OUT) {
            throw new TaskTimeoutException(task);
        }
        return task;
    }

    private AgentView lifecycle(String agentId, String request) {
        return send("POST", "agents/" + agentId + "/" + request, null, AgentView.class);
    }

    /** The seconds one long poll may wait: until the deadline, at most {@link #LONG_POLL}. */
    private static long secondsUntil(Instant deadline) {
        return Math.max(0, Math.min(LONG_POLL.toSeconds(), Duration.between(Instant.now(), deadline).toSeconds()));
    }

    private <T> T send(String method, String path, Object body, Class<T> answer) {
        HttpRequest.Builder request = api.request(path)
                .timeout(LONG_POLL.plusSeconds(15))
                .header("Accept", ACCEPT);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        }
        return Json.read(api.send(request.build(), HttpResponse.BodyHandlers.ofString()).body(), answer);
    }
}
