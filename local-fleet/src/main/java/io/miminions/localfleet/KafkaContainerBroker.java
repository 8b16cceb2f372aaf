package io.miminions.localfleet;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;

/**
 * A Kafka broker in a Docker container (image {@code apache/kafka} of the kafka-clients version, or
 * system property {@code miminions.fleet.kafka-image}). Its port on the host is chosen before the
 * container is created and bound fixed, so that the advertised address is known up front and
 * survives a stop and start of the container (which also keeps its data).
 */
final class KafkaContainerBroker implements KafkaBroker {

    private static final int CONTAINER_PORT = 9092;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final GenericContainer<?> container;
    private final String bootstrapServers;
    private boolean running;

    private KafkaContainerBroker(GenericContainer<?> container, String bootstrapServers) {
        this.container = container;
        this.bootstrapServers = bootstrapServers;
    }

    static KafkaContainerBroker launch() {
        String host = DockerClientFactory.instance().dockerHostIpAddress();
        int hostPort = FreePorts.next();
        String image = System.getProperty("miminions.fleet.kafka-image", "apache/kafka:" + AppInfoParser.getVersion());
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(CONTAINER_PORT)
                .withCreateContainerCmdModifier(create -> create.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindPort(hostPort), ExposedPort.tcp(CONTAINER_PORT))))
                .withEnv("KAFKA_NODE_ID", "1")
                .withEnv("KAFKA_PROCESS_ROLES", "broker,controller")
                .withEnv("KAFKA_LISTENERS", "PLAINTEXT://0.0.0.0:" + CONTAINER_PORT + ",CONTROLLER://localhost:9093")
                .withEnv("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://" + host + ":" + hostPort)
                .withEnv("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT")
                .withEnv("KAFKA_INTER_BROKER_LISTENER_NAME", "PLAINTEXT")
                .withEnv("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
                .withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093");
        for (Map.Entry<String, String> setting : KafkaSettings.singleNode().entrySet()) {
            container.withEnv("KAFKA_" + setting.getKey().toUpperCase().replace('.', '_'), setting.getValue());
        }
        KafkaContainerBroker broker = new KafkaContainerBroker(container, host + ":" + hostPort);
        container.start();
        broker.running = true;
        broker.awaitAnswer();
        return broker;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public synchronized void start() {
        if (!running) {
            DockerClientFactory.instance().client().startContainerCmd(container.getContainerId()).exec();
            running = true;
            awaitAnswer();
        }
    }

    @Override
    public synchronized void stop() {
        if (running) {
            DockerClientFactory.instance().client().stopContainerCmd(container.getContainerId()).withTimeout(20).exec();
            running = false;
        }
    }

    @Override
    public synchronized void close() {
        container.stop();
        running = false;
    }

    private void awaitAnswer() {
        KafkaReadiness.await(bootstrapServers, new CompletableFuture<>(), () -> "\n" + container.getLogs(), START_TIMEOUT);
    }
}
