package io.miminions.scheduler.tracing;

import io.miminions.observability.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.util.HashMap;
import java.util.Map;

/**
 * The trace of each unfinished task: the {@code traceparent} its accepted-task record carried
 * (task-intake's submission span). Whatever the scheduler writes about a task in one step (queued,
 * assigned, retried, ended, interrupted) is a span of that trace, and its records carry that span's
 * {@code traceparent}, whichever input the step served: a step may assign a task because another
 * task ended, and the assignment still belongs to the trace of the task assigned.
 *
 * <p>Owned by the scheduler's loop thread; the traces are stored with the tasks and restored with them.
 */
public final class TaskTraces {

    private final Tracer tracer;
    private final Map<String, String> traceparents = new HashMap<>();

    public TaskTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Keeps the trace of a task just received; null when its record carried none. */
    public void received(String taskId, String traceparent) {
        if (traceparent != null) {
            traceparents.put(taskId, traceparent);
        }
    }

    /** Replaces what is known with the traces stored for the unfinished tasks. */
    public void restore(Map<String, String> stored) {
        traceparents.clear();
        traceparents.putAll(stored);
    }

    /** The trace of a task as received, or null. */
    public String traceparentOf(String taskId) {
        return traceparents.get(taskId);
    }

    /** Forgets an ended task. */
    public void ended(String taskId) {
        traceparents.remove(taskId);
    }

    /** Starts the spans of one step; end them with {@link Step#end()}. */
    public Step step() {
        return new Step();
    }

    /** The spans of one step, one per task it touched. */
    public final class Step {

        private final Map<String, Span> spans = new HashMap<>();

        private Step() {
        }

        /** The {@code traceparent} for records about the task in this step; null when the task has no known trace. */
        public String traceparentFor(String taskId) {
            String received = taskId == null ? null : traceparents.get(taskId);
            if (received == null) {
                return null;
            }
            Span span = spans.computeIfAbsent(taskId, id -> tracer.spanBuilder("schedule task")
                    .setParent(TraceHeaders.parse(received))
                    .setSpanKind(SpanKind.PRODUCER)
                    .setAttribute("miminions.task.id", id)
                    .startSpan());
            return TraceHeaders.traceparent(TraceHeaders.parse(received).with(span));
        }

        /** Ends the step's spans. */
        public void end() {
            spans.values().forEach(Span::end);
        }
    }
}
