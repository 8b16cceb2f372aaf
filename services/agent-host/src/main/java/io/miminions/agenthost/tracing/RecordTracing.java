package io.miminions.agenthost.tracing;

import io.miminions.observability.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs the handling of a consumed record as a span of the trace its {@code traceparent} header
 * names (a new trace when it has none), current on the calling thread: whatever the work publishes
 * through {@code EventPublisher} carries that trace on.
 */
@ApplicationScoped
public class RecordTracing {

    private final Tracer tracer;

    public RecordTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Calls {@code work} inside a span named {@code process <topic>} whose parent is the record's trace context. */
    public <T> T call(ConsumerRecord<?, ?> record, Supplier<T> work) {
        Span span = tracer.spanBuilder("process " + record.topic())
                .setParent(TraceHeaders.extract(record.headers()))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.kafka.offset", record.offset())
                .startSpan();
        try (Scope scope = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            span.end();
        }
    }
}
