package dev.dualwrite.tracing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.io.IOException;
import java.io.StringReader;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The one place where a trace context crosses our storage and our records: into an event row's
 * {@code tracingspancontext} column in the order's transaction, out of it when a relay publishes the row, onto a
 * record's headers, and off them in a consumer. W3C trace context ({@code traceparent}, and {@code tracestate} when
 * there is one) through whatever {@link Propagator} Boot configured (management.tracing.propagation).
 *
 * <p>The column has Debezium's name and format (java.util.Properties text, {@code traceparent=00-...}), which its
 * EventRouter reads for log tailing: one column, one format, for the three event tables.
 */
public class EventTracing {

    /** The event tables' column (Debezium's default name for its tracing span context field). */
    public static final String COLUMN = "tracingspancontext";

    /** Tracing off: no spans, nothing stored, nothing on the records. */
    public static final EventTracing NOOP = new EventTracing(Tracer.NOOP, Propagator.NOOP);

    private final Tracer tracer;
    private final Propagator propagator;

    public EventTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** The current span's context as the event row keeps it, or null when there is no current span. */
    public String currentContextColumn() {
        Span span = tracer.currentSpan();
        if (span == null) {
            return null;
        }
        StringBuilder column = new StringBuilder();
        // Properties text: a backslash (allowed in a tracestate value) is escaped, so that Debezium's reader and ours
        // read back what was written. Header values hold no line breaks.
        propagator.inject(
                span.context(),
                column,
                (text, key, value) -> text.append(key)
                        .append('=')
                        .append(value.replace("\\", "\\\\"))
                        .append('\n'));
        return column.isEmpty() ? null : column.toString();
    }

    /**
     * The context an event row kept, to start spans as its children; none (a span started from it begins a trace)
     * when the row kept none or nothing readable: a trace context never stops an event.
     */
    public Span.Builder childOfColumn(String column) {
        Properties context = new Properties();
        if (column != null) {
            try {
                context.load(new StringReader(column));
            } catch (IOException | IllegalArgumentException unreadable) {
                context.clear();
            }
        }
        return propagator.extract(context, Properties::getProperty);
    }

    /** Whether an event row kept a trace context (a span for a row without one would begin a trace of its own). */
    public static boolean hasContext(String column) {
        return column != null && !column.isBlank();
    }

    /** A span to start as a child of the context on a record's headers; a new trace when there is none. */
    public Span.Builder childOfHeaders(Headers headers) {
        return propagator.extract(headers, (carrier, key) -> {
            Header header = carrier.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), UTF_8);
        });
    }

    /** Puts the span's context on a record's headers, replacing what was there. */
    public void inject(Span span, Headers headers) {
        propagator.inject(span.context(), headers, (carrier, key, value) -> {
            carrier.remove(key);
            carrier.add(key, value.getBytes(UTF_8));
        });
    }

    /** Makes the span current on this thread until the scope is closed (so that rows written meanwhile carry it). */
    public Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }
}
