package io.miminions.localfleet;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Waits until a broker answers: an admin client gets a description of its cluster. */
final class KafkaReadiness {

    private KafkaReadiness() {
    }

    /**
     * Returns once the broker at {@code bootstrapServers} describes its cluster. Fails at once when
     * {@code exited} completes first (the broker died), or after {@code timeout}; the failure quotes
     * {@code diagnostics} (the broker's last log lines).
     */
    static void await(String bootstrapServers, CompletableFuture<?> exited, Supplier<String> diagnostics, Duration timeout) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-fleet-readiness");
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        config.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "200");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        try (Admin admin = Admin.create(config)) {
            CompletableFuture<?> described = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().toCompletionStage().toCompletableFuture();
            CompletableFuture.anyOf(described, exited).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!described.isDone()) {
                throw new IllegalStateException("the Kafka broker at " + bootstrapServers + " exited while starting" + diagnostics.get());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the Kafka broker at " + bootstrapServers + " did not answer within " + timeout
                    + diagnostics.get(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker at " + bootstrapServers, e);
        }
    }
}
