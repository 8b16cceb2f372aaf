package io.miminions.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

    private static final OpenTelemetrySdk SDK = FleetTelemetry.start("telemetry-test");
    private static final Tracer TRACER = SDK.getTracer("test");

    @AfterAll
    static void close() {
        SDK.close();
    }

    @Test
    void withoutAnExporterSpansStillHaveTraceIds() {
        Span span = TRACER.spanBuilder("submit").startSpan();
        try {
            assertThat(span.getSpanContext().isValid()).isTrue();
            assertThat(span.getSpanContext().isSampled()).isTrue();
        } finally {
            span.end();
        }
    }

    @Test
    void aContextInjectedIntoRecordHeadersIsExtractedWithItsTraceId() {
        Span span = TRACER.spanBuilder("publish").startSpan();
        RecordHeaders headers = new RecordHeaders();

        TraceHeaders.inject(Context.root().with(span), headers);
        span.end();

        assertThat(TraceHeaders.traceId(headers)).isEqualTo(span.getSpanContext().getTraceId());
        Span child = TRACER.spanBuilder("consume").setParent(TraceHeaders.extract(headers)).startSpan();
        assertThat(child.getSpanContext().getTraceId()).isEqualTo(span.getSpanContext().getTraceId());
        child.end();
    }

    @Test
    void aTraceparentStringNamesTheSameContext() {
        Span span = TRACER.spanBuilder("store").startSpan();
        String traceparent = TraceHeaders.traceparent(Context.root().with(span));
        span.end();

        assertThat(traceparent).startsWith("00-" + span.getSpanContext().getTraceId() + "-"
                + span.getSpanContext().getSpanId() + "-");
        assertThat(Span.fromContext(TraceHeaders.parse(traceparent)).getSpanContext().getTraceId())
                .isEqualTo(span.getSpanContext().getTraceId());
    }

    @Test
    void recordsWithoutOrWithABrokenTraceparentHaveNoTrace() {
        RecordHeaders broken = new RecordHeaders();
        broken.add(TraceHeaders.TRACEPARENT, "not-a-traceparent".getBytes(StandardCharsets.UTF_8));

        assertThat(TraceHeaders.traceId(new RecordHeaders())).isNull();
        assertThat(TraceHeaders.traceId(broken)).isNull();
        assertThat(TraceHeaders.traceparent(Context.root())).isNull();
        assertThat(TraceHeaders.traceparent(TraceHeaders.parse(null))).isNull();
    }

    @Test
    void injectingTheRootContextLeavesTheHeadersAlone() {
        RecordHeaders headers = new RecordHeaders();
        TraceHeaders.inject(Context.root(), headers);
        assertThat(headers.toArray()).isEmpty();
    }
}
