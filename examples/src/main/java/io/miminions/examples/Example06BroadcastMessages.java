package io.miminions.examples;

import io.miminions.client.MiminionsClient;
import io.miminions.client.TaskOptions;
import io.miminions.examples.agents.BroadcasterAgent;
import io.miminions.examples.agents.ListenerAgent;
import io.miminions.model.api.TaskView;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seed example 6, broadcast messages: a {@link BroadcasterAgent} sends one alert to every other
 * running or paused agent; three {@link ListenerAgent}s each receive it once, whichever agent host
 * runs them.
 *
 * <p>Run it against a running fleet whose agent hosts load the example agents ({@code ./mvnw -Pdemo}):
 * {@code java ... Example06BroadcastMessages http://localhost:8081}. Prints
 * {@code Listener received: 1 alerts} three times. (Every other running agent of the fleet gets the
 * alert too, in its inbox.)
 */
public final class Example06BroadcastMessages {

    /** What the broadcast task and the listeners' tasks returned. */
    public record Result(TaskView broadcast, List<TaskView> listeners) {
    }

    private Example06BroadcastMessages() {
    }

    public static void main(String[] args) {
        URI api = URI.create(args.length > 0 ? args[0] : System.getenv().getOrDefault("MIMINIONS_API", "http://localhost:8081"));
        MiminionsClient runtime = MiminionsClient.connect(api);
        String broadcasterId = startBroadcaster(runtime);
        List<String> listenerIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            listenerIds.add(startListener(runtime, i));
        }
        run(runtime, broadcasterId, listenerIds, System.out);
    }

    /** Registers and starts the broadcaster; answers its id. */
    public static String startBroadcaster(MiminionsClient runtime) {
        String agentId = runtime.registerAgent("broadcaster", BroadcasterAgent.class);
        runtime.startAgent(agentId);
        return agentId;
    }

    /** Registers and starts listener number {@code i}; answers its id. */
    public static String startListener(MiminionsClient runtime, int i) {
        String agentId = runtime.registerAgent("listener-" + i, ListenerAgent.class);
        runtime.startAgent(agentId);
        return agentId;
    }

    /** Has the listeners listen and the broadcaster broadcast; prints how many alerts each listener got. */
    public static Result run(MiminionsClient runtime, String broadcasterId, List<String> listenerIds, PrintStream out) {
        // Listeners start listening
        List<String> listenerTaskIds = new ArrayList<>();
        for (int i = 0; i < listenerIds.size(); i++) {
            listenerTaskIds.add(runtime.submitTask("listen-" + i, Map.of(), TaskOptions.builder().agentId(listenerIds.get(i)).build()));
        }

        // The broadcaster sends
        String broadcastTaskId = runtime.submitTask("broadcast", Map.of(), TaskOptions.builder().agentId(broadcasterId).build());
        TaskView broadcast = runtime.waitForTask(broadcastTaskId, Duration.ofSeconds(60));

        // Check the listeners' results
        List<TaskView> listeners = new ArrayList<>();
        for (String taskId : listenerTaskIds) {
            TaskView task = runtime.waitForTask(taskId, Duration.ofSeconds(60));
            out.println("Listener received: " + task.output().get("alerts_received") + " alerts");
            listeners.add(task);
        }
        return new Result(broadcast, listeners);
    }
}
