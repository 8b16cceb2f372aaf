package io.miminions.agenthost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.miminions.agenthost.agents.HelloAgent;
import io.miminions.agenthost.testagents.FlakyAgent;
import io.miminions.sdk.Agent;
import io.miminions.sdk.Task;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentFactoryTest {

    private final AgentFactory factory = AgentFactory.create(getClass().getClassLoader(), Optional.empty());

    @Test
    void aSimpleNameIsABuiltInAgent() {
        assertThat(factory.create("HelloAgent")).isInstanceOf(HelloAgent.class);
    }

    @Test
    void aQualifiedNameIsAnAgentClassOnTheClasspath() {
        assertThat(factory.create(FlakyAgent.class.getName())).isInstanceOf(FlakyAgent.class);
    }

    @Test
    void eachCreationIsANewInstance() {
        assertThat(factory.create("HelloAgent")).isNotSameAs(factory.create("HelloAgent"));
    }

    @Test
    void anUnknownSimpleNameIsNotABuiltInAgent() {
        assertThatThrownBy(() -> factory.create("GoodbyeAgent"))
                .isInstanceOf(AgentTypeException.class)
                .hasMessage("unknown agent type GoodbyeAgent: there is no built-in agent of that name"
                        + " (use the fully-qualified class name of your own agent)");
    }

    @Test
    void anUnknownClassIsReported() {
        assertThatThrownBy(() -> factory.create("com.example.Missing"))
                .isInstanceOf(AgentTypeException.class)
                .hasMessage("unknown agent type com.example.Missing: no such class on the classpath");
    }

    @Test
    void aClassThatIsNotAnAgentIsRejected() {
        assertThatThrownBy(() -> factory.create("java.lang.String"))
                .isInstanceOf(AgentTypeException.class)
                .hasMessage("java.lang.String is not an io.miminions.sdk.Agent");
    }

    @Test
    void anAbstractAgentIsRejected() {
        assertThatThrownBy(() -> factory.create(Agent.class.getName()))
                .isInstanceOf(AgentTypeException.class)
                .hasMessage("io.miminions.sdk.Agent is abstract");
    }

    @Test
    void anAgentWithoutANoArgumentConstructorIsRejected() {
        assertThatThrownBy(() -> factory.create(NeedsArgumentAgent.class.getName()))
                .isInstanceOf(AgentTypeException.class)
                .hasMessage(NeedsArgumentAgent.class.getName() + " has no public no-argument constructor");
    }

    @Test
    void aFailingConstructorIsReported() {
        assertThatThrownBy(() -> factory.create(ExplodingAgent.class.getName()))
                .isInstanceOf(AgentTypeException.class)
                .hasMessage("the constructor of " + ExplodingAgent.class.getName()
                        + " failed: java.lang.IllegalStateException: no resources");
    }

    @Test
    void aMissingTypeIsReported() {
        assertThatThrownBy(() -> factory.create(" ")).isInstanceOf(AgentTypeException.class)
                .hasMessage("the agent has no type");
    }

    @Test
    void agentsComeFromTheJarsOfTheAgentJarsDirectory(@TempDir Path work) throws Exception {
        Path jars = Files.createDirectory(work.resolve("jars"));
        buildJar(work, jars.resolve("shouting.jar"), "com.example.agents", "ShoutingAgent", """
                package com.example.agents;
                import io.miminions.sdk.Agent;
                import io.miminions.sdk.Task;
                import java.util.Map;
                public class ShoutingAgent extends Agent {
                    public Map<String, Object> execute(Task task) {
                        return Map.of("shout", String.valueOf(task.input().get("text")).toUpperCase());
                    }
                }
                """);
        AgentFactory withJars = AgentFactory.create(getClass().getClassLoader(), Optional.of(jars));

        Agent agent = withJars.create("com.example.agents.ShoutingAgent");

        assertThat(agent.execute(new Task("t1", "shout", Map.of("text", "hi"), 50, 1))).isEqualTo(Map.of("shout", "HI"));
        assertThatThrownBy(() -> factory.create("com.example.agents.ShoutingAgent"))
                .hasMessage("unknown agent type com.example.agents.ShoutingAgent: no such class on the classpath");
        assertThatThrownBy(() -> withJars.create("com.example.agents.Missing"))
                .hasMessage("unknown agent type com.example.agents.Missing: no such class on the classpath or in the"
                        + " 1 jar(s) of " + jars);
    }

    @Test
    void aMissingAgentJarsDirectoryIsAConfigurationError(@TempDir Path work) {
        assertThatThrownBy(() -> AgentFactory.create(getClass().getClassLoader(), Optional.of(work.resolve("none"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the agent-jars directory " + work.resolve("none") + " does not exist");
    }

    /** Compiles one class against the agent SDK and packs it alone into a jar. */
    private static void buildJar(Path work, Path jar, String packageName, String className, String source)
            throws IOException, URISyntaxException {
        Path sources = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        Path file = Files.writeString(sources.resolve(className + ".java"), source);
        String sdk = Path.of(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-classpath", sdk, "-d", classes.toString(), file.toString());
        assertThat(status).as("javac exit status").isZero();
        String entry = packageName.replace('.', '/') + "/" + className + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(entry));
            Files.copy(classes.resolve(entry), out);
            out.closeEntry();
        }
    }

    public static class NeedsArgumentAgent extends Agent {
        public NeedsArgumentAgent(String name) {
        }

        @Override
        public Map<String, Object> execute(Task task) {
            return Map.of();
        }
    }

    public static class ExplodingAgent extends Agent {
        public ExplodingAgent() {
            throw new IllegalStateException("no resources");
        }

        @Override
        public Map<String, Object> execute(Task task) {
            return Map.of();
        }
    }
}
