package io.miminions.examples;

import io.miminions.client.AgentStartException;
import io.miminions.client.EventLog;
import io.miminions.client.EventQuery;
import io.miminions.client.MiminionsClient;
import io.miminions.model.EventType;
import io.miminions.model.Severity;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seed example 10, event log queries: runs a few tasks, then asks the audit service for every event,
 * the agent starts, the errors and the last hour's events, and exports the log to {@code events.jsonl}.
 *
 * <p>Run it against a running fleet: {@code java ... Example10EventLog http://localhost:8081 http://localhost:8084}.
 * Prints {@code Total events: N}, {@code Agent start events: N}, {@code Error events: N},
 * {@code Events in last hour: N} and {@code Events exported to events.jsonl}.
 */
public final class Example10EventLog {

    /**
     * What the example counted.
     *
     * @param lastHourSince the time from which "the last hour" was counted
     */
    public record Counts(long total, long agentStarts, long errors, long lastHour, Instant lastHourSince) {
    }

    private Example10EventLog() {
    }

    public static void main(String[] args) {
        URI api = URI.create(args.length > 0 ? args[0] : System.getenv().getOrDefault("MIMINIONS_API", "http://localhost:8081"));
        URI audit = URI.create(args.length > 1 ? args[1] : System.getenv().getOrDefault("MIMINIONS_AUDIT", "http://localhost:8084"));
        run(MiminionsClient.connect(api), EventLog.connect(audit), Path.of("events.jsonl"), System.out);
    }

    /** Does a little work, queries the event log, prints the counts and exports the log to {@code exportFile}. */
    public static Counts run(MiminionsClient runtime, EventLog eventLog, Path exportFile, PrintStream out) {
        // ... run some agents and tasks ...
        String agentId = runtime.registerAgent("event-log-agent", "HelloAgent");
        runtime.startAgent(agentId);
        List<String> taskIds = new ArrayList<>();
        for (String name : List.of("Alice", "Bob", "Carol")) {
            taskIds.add(runtime.submitTask("greet-user", Map.of("name", name)));
        }
        taskIds.forEach(taskId -> runtime.waitForTask(taskId, Duration.ofSeconds(30)));
        // an agent of a type no host can load: its start fails, which the log records as an error
        String broken = runtime.registerAgent("broken-agent", "NoSuchAgentType");
        try {
            runtime.startAgent(broken);
        } catch (AgentStartException expected) {
            // AGENT_FAILED, severity ERROR
        }
        // the audit service stores events as they arrive: wait until it has the last outcomes
        awaitRecorded(eventLog, EventQuery.builder().taskId(taskIds.getLast()).types(EventType.TASK_COMPLETED).build());
        awaitRecorded(eventLog, EventQuery.builder().agentId(broken).types(EventType.AGENT_FAILED).build());

        // Query all events (every page)
        long total = eventLog.allEvents(EventQuery.builder().limit(1000).build()).count();
        out.println("Total events: " + total);

        // Query agent lifecycle events
        long agentStarts = eventLog.allEvents(EventQuery.builder().types(EventType.AGENT_STARTED).build()).count();
        out.println("Agent start events: " + agentStarts);

        // Query errors: ERROR and worse
        long errors = eventLog.allEvents(EventQuery.builder().minSeverity(Severity.ERROR).build()).count();
        out.println("Error events: " + errors);

        // Query recent events
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        long lastHour = eventLog.allEvents(EventQuery.builder().since(hourAgo).limit(1000).build()).count();
        out.println("Events in last hour: " + lastHour);

        // Export events to a file, as JSON Lines
        eventLog.exportEvents(exportFile, EventQuery.all(), false);
        out.println("Events exported to " + exportFile.getFileName());
        return new Counts(total, agentStarts, errors, lastHour, hourAgo);
    }

    /** Waits, up to 30 s, until the audit service has recorded an event the query finds. */
    static void awaitRecorded(EventLog eventLog, EventQuery query) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (eventLog.queryEvents(query).events().isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the audit service has not recorded " + query + " after 30 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
