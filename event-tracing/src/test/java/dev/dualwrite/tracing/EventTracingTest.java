package dev.dualwrite.tracing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.StringReader;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The trace context's way into an event row and onto a record and back, on OpenTelemetry's own SDK. */
class EventTracingTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";

    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    private final Tracer tracer = new OtelTracer(sdk.getTracer("test"), new OtelCurrentTraceContext(), event -> {});
    private final EventTracing tracing =
            new EventTracing(tracer, new OtelPropagator(sdk.getPropagators(), sdk.getTracer("test")));

    @AfterEach
    void close() {
        sdk.close();
    }

    @Test
    void theRowKeepsTheCurrentSpansContextAndARelaySpanContinuesItsTrace() throws Exception {
        Span request = incoming("00-%s-%s-01".formatted(TRACE, PARENT), "vendor=a\\b,other=1");
        String column;
        try (Tracer.SpanInScope scope = tracing.inScope(request)) {
            column = tracing.currentContextColumn();
        } finally {
            request.end();
        }

        Properties asDebeziumReadsIt = new Properties();
        asDebeziumReadsIt.load(new StringReader(column));
        assertThat(asDebeziumReadsIt.getProperty("traceparent"))
                .isEqualTo("00-%s-%s-01".formatted(TRACE, request.context().spanId()));
        assertThat(asDebeziumReadsIt.getProperty("tracestate")).isEqualTo("vendor=a\\b,other=1");

        Span send = tracing.childOfColumn(column).name("send").start();
        RecordHeaders headers = new RecordHeaders();
        tracing.inject(send, headers);
        send.end();
        assertThat(send.context().traceId()).isEqualTo(TRACE);
        assertThat(send.context().parentId()).isEqualTo(request.context().spanId());
        assertThat(new String(headers.lastHeader("traceparent").value(), UTF_8))
                .isEqualTo("00-%s-%s-01".formatted(TRACE, send.context().spanId()));

        Span process = tracing.childOfHeaders(headers).name("process").start();
        assertThat(process.context().traceId()).isEqualTo(TRACE);
        assertThat(process.context().parentId()).isEqualTo(send.context().spanId());
    }

    @Test
    void anUnsampledRequestsDecisionTravelsWithTheRow() {
        Span request = incoming("00-%s-%s-00".formatted(TRACE, PARENT), null);
        String column;
        try (Tracer.SpanInScope scope = tracing.inScope(request)) {
            column = tracing.currentContextColumn();
        }

        Span send = tracing.childOfColumn(column).name("send").start();

        assertThat(column).contains("traceparent=00-" + TRACE).endsWith("-00\n");
        assertThat(send.context().traceId()).isEqualTo(TRACE);
        assertThat(send.context().sampled()).isFalse();
    }

    @Test
    void aRowWithoutAContextOrWithAnUnreadableOneBeginsATraceInsteadOfFailing() {
        assertThat(EventTracing.hasContext(null)).isFalse();
        for (String column : new String[] {null, "", "traceparent=not-a-context\n", "tracestate=\\uZZZZ\n"}) {
            Span span = tracing.childOfColumn(column).name("send").start();
            assertThat(span.context().parentId()).as(String.valueOf(column)).isNull();
            assertThat(span.context().traceId()).as(String.valueOf(column)).hasSize(32);
        }
    }

    @Test
    void withoutACurrentSpanTheRowKeepsNothing() {
        assertThat(tracing.currentContextColumn()).isNull();
        assertThat(EventTracing.NOOP.currentContextColumn()).isNull();
    }

    /** A server span continuing an incoming request's headers, as Boot's HTTP observation would. */
    private Span incoming(String traceparent, String tracestate) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", traceparent.getBytes(UTF_8));
        if (tracestate != null) {
            headers.add("tracestate", tracestate.getBytes(UTF_8));
        }
        return tracing.childOfHeaders(headers).name("request").start();
    }
}
