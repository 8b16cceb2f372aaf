package io.miminions.localfleet;

/**
 * The fleet's Kafka broker (one KRaft node acting as broker and controller). It can be stopped and
 * started again: it comes back on the same address with the same data, so tests can take Kafka
 * away and bring it back.
 */
public interface KafkaBroker extends AutoCloseable {

    /** {@code host:port} for {@code bootstrap.servers}; the same across {@link #stop()} and {@link #start()}. */
    String bootstrapServers();

    /** Starts the broker again after {@link #stop()} and returns once it answers; no-op while it runs. */
    void start();

    /** Stops the broker gracefully (forcibly after a grace period), keeping its data; no-op while stopped. */
    void stop();

    /** Stops the broker for good. */
    @Override
    void close();
}
