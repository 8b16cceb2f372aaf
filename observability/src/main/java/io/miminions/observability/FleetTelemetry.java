package io.miminions.observability;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;

/**
 * The OpenTelemetry SDK of one fleet service. Spans are always made, so every task gets a trace id
 * that travels on its Kafka records; they leave the process only when an exporter is configured.
 *
 * <p>Configuration is OpenTelemetry's own, from environment variables or system properties: for
 * example {@code OTEL_TRACES_EXPORTER=otlp} with {@code OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318}
 * ({@code OTEL_EXPORTER_OTLP_PROTOCOL} {@code http/protobuf}, the default, or {@code grpc}), or
 * {@code OTEL_TRACES_EXPORTER=logging} to log each span. Defaults: no exporter for traces, metrics
 * (Micrometer serves those on {@code /q/metrics}) or logs, and the service's name as
 * {@code service.name} ({@code OTEL_SERVICE_NAME} overrides it).
 */
public final class FleetTelemetry {

    private FleetTelemetry() {
    }

    /** Builds the SDK; close it when the service stops, to flush what an exporter still holds. */
    public static OpenTelemetrySdk start(String serviceName) {
        Map<String, String> defaults = Map.of(
                "otel.service.name", serviceName,
                "otel.traces.exporter", "none",
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none");
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .build()
                .getOpenTelemetrySdk();
    }
}
