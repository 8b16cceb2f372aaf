package io.miminions.agenthost;

import io.miminions.sdk.Agent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Creates agents from their type: the simple name of a built-in agent (a class in
 * {@value #BUILT_IN_PACKAGE}) or the fully-qualified name of an {@link Agent} subclass with a
 * public no-argument constructor, on the host's classpath or in a jar of the agent-jars directory.
 */
public final class AgentFactory {

    /** The package of the agents every host has; they are named by their simple class name. */
    public static final String BUILT_IN_PACKAGE = "io.miminions.agenthost.agents";

    private final ClassLoader loader;
    private final String whereLooked;

    private AgentFactory(ClassLoader loader, String whereLooked) {
        this.loader = loader;
        this.whereLooked = whereLooked;
    }

    /** A factory that sees the classes of {@code parent} and, when given, of every jar directly in {@code jarDirectory}. */
    public static AgentFactory create(ClassLoader parent, Optional<Path> jarDirectory) {
        if (jarDirectory.isEmpty()) {
            return new AgentFactory(parent, "on the classpath");
        }
        Path directory = jarDirectory.get();
        URL[] jars = jarsIn(directory);
        return new AgentFactory(new URLClassLoader("agent-jars", jars, parent),
                "on the classpath or in the " + jars.length + " jar(s) of " + directory);
    }

    /**
     * A new, unattached instance of the agent type.
     *
     * @throws AgentTypeException when the type is unknown, not an agent, or cannot be instantiated
     */
    public Agent create(String agentType) {
        if (agentType == null || agentType.isBlank()) {
            throw new AgentTypeException("the agent has no type");
        }
        Constructor<?> constructor = constructorOf(load(agentType));
        try {
            return (Agent) constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new AgentTypeException("the constructor of " + agentType + " failed: " + e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new AgentTypeException(agentType + " cannot be instantiated: " + e);
        }
    }

    private Class<?> load(String agentType) {
        boolean builtIn = !agentType.contains(".");
        String className = builtIn ? BUILT_IN_PACKAGE + "." + agentType : agentType;
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AgentTypeException(builtIn
                    ? "unknown agent type " + agentType + ": there is no built-in agent of that name"
                            + " (use the fully-qualified class name of your own agent)"
                    : "unknown agent type " + agentType + ": no such class " + whereLooked);
        } catch (LinkageError e) {
            throw new AgentTypeException("agent type " + agentType + " cannot be loaded: " + e);
        }
        if (!Agent.class.isAssignableFrom(type)) {
            throw new AgentTypeException(className + " is not an " + Agent.class.getName());
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new AgentTypeException(className + " is abstract");
        }
        return type;
    }

    private static Constructor<?> constructorOf(Class<?> type) {
        try {
            return type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new AgentTypeException(type.getName() + " has no public no-argument constructor");
        }
    }

    private static URL[] jarsIn(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("the agent-jars directory " + directory + " does not exist");
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().map(AgentFactory::url)
                    .toArray(URL[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the agent-jars directory " + directory, e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a usable jar path: " + jar, e);
        }
    }
}
