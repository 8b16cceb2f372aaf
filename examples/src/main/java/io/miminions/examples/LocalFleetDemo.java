package io.miminions.examples;

import io.miminions.client.EventLog;
import io.miminions.client.EventQuery;
import io.miminions.client.MiminionsClient;
import io.miminions.localfleet.LocalFleet;
import io.miminions.model.Event;
import io.miminions.model.EventType;
import java.util.HashMap;
import java.util.Map;

/**
 * The README's first command: starts Kafka, PostgreSQL and the four services on this machine, runs
 * seed Example 1 against them, shows what the audit service recorded, and keeps the fleet up until
 * Ctrl-C (or stops at once with {@code -Ddemo.keep=false}). System properties under a service's
 * configuration prefix ({@code -Dmiminions.intake.max-concurrent-agents=5}) configure the fleet, over
 * the demo's own settings.
 */
public final class LocalFleetDemo {

    private LocalFleetDemo() {
    }

    public static void main(String[] args) throws InterruptedException {
        boolean keep = Boolean.parseBoolean(System.getProperty("demo.keep", "true"));
        Map<String, String> settings = new HashMap<>(ExampleAgents.fleetSettings());
        settings.putAll(LocalFleet.serviceSettingsOf(System.getProperties()));
        LocalFleet fleet = LocalFleet.start(settings);
        try {
            System.out.println("\n== miminions fleet is up ==");
            for (String service : LocalFleet.SERVICES) {
                System.out.printf("  %-12s %s%n", service, fleet.service(service).baseUri());
            }
            System.out.println("  kafka        " + fleet.infrastructure().kafkaBootstrapServers());
            System.out.println("  postgresql   " + fleet.infrastructure().postgresJdbcUrl());

            System.out.println("\n== Example 1: basic agent ==");
            Map<String, Object> output = Example01BasicAgent.run(MiminionsClient.connect(fleet.intakeUri()));
            System.out.println(output);

            System.out.println("\n== what the audit service recorded ==");
            EventLog eventLog = EventLog.connect(fleet.auditUri());
            Example10EventLog.awaitRecorded(eventLog, EventQuery.builder().types(EventType.TASK_COMPLETED).build());
            for (Event event : eventLog.queryEvents(EventQuery.builder().limit(20).order(EventQuery.Order.ASC).build()).events()) {
                System.out.printf("  %s  %-16s %-12s %s%n", event.time(), event.type(), event.source(), event.data());
            }

            if (keep) {
                System.out.println("\nThe fleet keeps running; API docs at " + fleet.intakeUri().resolve("/q/swagger-ui")
                        + ". Its agent hosts load the example agents, so examples 2 and 3 run against it too:\n"
                        + "  ./mvnw -q -pl examples exec:java -Dexec.mainClass=io.miminions.examples.Example02ConcurrentAgents"
                        + " -Dexec.args=" + fleet.intakeUri() + "\nPress Ctrl-C to stop it.");
                Thread.currentThread().join();
            }
        } finally {
            fleet.close();
        }
    }
}
