package io.miminions.examples;

import io.miminions.localfleet.ServiceProcess;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the agent hosts find the examples' agents ({@code io.miminions.examples.agents}): the build
 * packages them alone into {@code examples/target/agent-jars/}, a directory for the agent host's
 * {@code miminions.agent-host.agent-jars} setting.
 */
public final class ExampleAgents {

    /** The agent host's setting that names a directory of agent jars. */
    public static final String AGENT_JARS_SETTING = "miminions.agent-host.agent-jars";

    private ExampleAgents() {
    }

    /** {@code <project>/examples/target/agent-jars}. */
    public static Path jarDirectory() {
        return ServiceProcess.projectDir().resolve("examples").resolve("target").resolve("agent-jars");
    }

    /** Settings for {@code LocalFleet.start(...)} that let its agent hosts load the example agents. */
    public static Map<String, String> fleetSettings() {
        return Map.of(AGENT_JARS_SETTING, jarDirectory().toString());
    }
}
