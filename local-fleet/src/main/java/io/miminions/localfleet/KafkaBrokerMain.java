package io.miminions.localfleet;

import kafka.Kafka;
import kafka.tools.StorageTool;

/**
 * Main class of the broker JVM that {@link KafkaProcess} starts: formats the storage if it is not
 * formatted yet (one JVM start instead of two) and then runs the broker. Never loaded in the JVM
 * that uses local-fleet: the Kafka server jars are only on the broker's classpath.
 *
 * <p>Arguments: the cluster id and the path of {@code server.properties}.
 */
final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] arguments) {
        String clusterId = arguments[0];
        String serverProperties = arguments[1];
        int formatted = StorageTool.execute(new String[] {
                "format", "-t", clusterId, "-c", serverProperties, "--standalone", "--ignore-formatted"}, System.out);
        if (formatted != 0) {
            System.exit(formatted);
        }
        Kafka.main(new String[] {serverProperties});
    }
}
