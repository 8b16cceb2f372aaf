package io.miminions.localfleet;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.ReflectionException;

/**
 * Makes {@link FleetInfrastructure#shared()} one per JVM rather than one per class loader. Quarkus runs
 * its tests in class loaders of its own (a new set per test profile), beside plain tests in the
 * application class loader, and each copy of {@link FleetInfrastructure} would otherwise start its own
 * Kafka and PostgreSQL. The first caller registers this MBean in the platform MBean server, which every
 * class loader sees, and starts the infrastructure; the others read its addresses from the MBean and
 * stop or start Kafka through it: JDK types only, so no class crosses between class loaders.
 */
final class SharedFleetRegistration implements DynamicMBean, AutoCloseable {

    private static final ObjectName NAME = objectName();
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final List<String> ATTRIBUTES = List.of("KafkaBootstrapServers", "PostgresHost", "PostgresPort", "WorkDir");

    private final CompletableFuture<FleetInfrastructure> started = new CompletableFuture<>();

    private SharedFleetRegistration() {
    }

    /** Registers a new registration, or nothing if one (of any class loader) is registered. */
    static Optional<SharedFleetRegistration> claim() {
        SharedFleetRegistration registration = new SharedFleetRegistration();
        try {
            SERVER.registerMBean(registration, NAME);
            return Optional.of(registration);
        } catch (InstanceAlreadyExistsException taken) {
            return Optional.empty();
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + NAME, e);
        }
    }

    /** Hands the started infrastructure to the class loaders waiting for it. */
    void started(FleetInfrastructure infrastructure) {
        started.complete(infrastructure);
    }

    /** Tells the class loaders waiting that the start failed, and withdraws the registration. */
    void failed(RuntimeException e) {
        started.completeExceptionally(e);
        close();
    }

    /** Withdraws the registration: the next {@link #claim()} succeeds. */
    @Override
    public void close() {
        try {
            SERVER.unregisterMBean(NAME);
        } catch (InstanceNotFoundException alreadyWithdrawn) {
            // nothing to withdraw
        } catch (JMException e) {
            throw new IllegalStateException("cannot unregister " + NAME, e);
        }
    }

    /** True while the registration for the infrastructure in {@code workDir} stands. */
    static boolean stands(String workDir) {
        try {
            return SERVER.isRegistered(NAME) && workDir.equals(SERVER.getAttribute(NAME, "WorkDir"));
        } catch (JMException | RuntimeException withdrawnMeanwhile) {
            return false;
        }
    }

    /** An attribute of the registered infrastructure; waits while it starts. */
    static Object attribute(String name) {
        try {
            return SERVER.getAttribute(NAME, name);
        } catch (JMException | RuntimeException e) {
            throw new IllegalStateException("the shared fleet infrastructure of this JVM is not available", e);
        }
    }

    /** Calls {@code startKafka} or {@code stopKafka} on the registered infrastructure. */
    static void invoke(String operation) {
        try {
            SERVER.invoke(NAME, operation, null, null);
        } catch (JMException | RuntimeException e) {
            throw new IllegalStateException(operation + " failed on the shared fleet infrastructure of this JVM", e);
        }
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        FleetInfrastructure infrastructure = awaitStarted();
        return switch (attribute) {
            case "KafkaBootstrapServers" -> infrastructure.kafkaBootstrapServers();
            case "PostgresHost" -> infrastructure.postgresHost();
            case "PostgresPort" -> infrastructure.postgresPort();
            case "WorkDir" -> infrastructure.workDir().toString();
            default -> throw new AttributeNotFoundException(attribute);
        };
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        FleetInfrastructure infrastructure = awaitStarted();
        switch (actionName) {
            case "startKafka" -> infrastructure.kafka().start();
            case "stopKafka" -> infrastructure.kafka().stop();
            default -> throw new ReflectionException(new NoSuchMethodException(actionName));
        }
        return null;
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList values = new AttributeList();
        for (String attribute : attributes) {
            try {
                values.add(new Attribute(attribute, getAttribute(attribute)));
            } catch (AttributeNotFoundException unknown) {
                // left out, as the MBean contract says
            }
        }
        return values;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(attribute.getName() + " is read-only");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        MBeanAttributeInfo[] attributes = ATTRIBUTES.stream()
                .map(name -> new MBeanAttributeInfo(name, name.equals("PostgresPort") ? "int" : String.class.getName(),
                        name, true, false, false))
                .toArray(MBeanAttributeInfo[]::new);
        MBeanOperationInfo[] operations = List.of("startKafka", "stopKafka").stream()
                .map(name -> new MBeanOperationInfo(name, name, new MBeanParameterInfo[0], "void", MBeanOperationInfo.ACTION))
                .toArray(MBeanOperationInfo[]::new);
        return new MBeanInfo(getClass().getName(), "the shared local-fleet infrastructure of this JVM",
                attributes, null, operations, null);
    }

    private FleetInfrastructure awaitStarted() {
        try {
            return started.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the shared fleet infrastructure failed to start: " + e.getCause(), e.getCause());
        }
    }

    private static ObjectName objectName() {
        try {
            return new ObjectName("io.miminions.localfleet:type=SharedFleetInfrastructure");
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }
}
