package dev.dualwrite.console.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrapeTest {

    private static final String TEXT = """
            # HELP http_server_requests_seconds
            # TYPE http_server_requests_seconds histogram
            http_server_requests_seconds_count{method="POST",status="201",uri="/api/orders"} 1976
            http_server_requests_seconds_count{method="POST",status="400",uri="/api/orders"} 3
            http_server_requests_seconds_count{method="GET",status="200",uri="/actuator/health"} 12
            consumer_events_applied_total{pattern="TRANSACTIONAL_OUTBOX"} 41.0
            odd_label{message="a \\"quoted\\", comma",other="x"} 2.5 1700000000000
            consumer_end_to_end_latency_seconds_bucket{pattern="LISTEN_TO_YOURSELF",le="0.1"} 5
            consumer_end_to_end_latency_seconds_bucket{pattern="LISTEN_TO_YOURSELF",le="+Inf"} 9
            this line is not a sample
            """;

    @Test
    void sumsTheSamplesWhoseLabelsIncludeTheGivenOnes() {
        Scrape scrape = Scrape.parse(TEXT);

        assertThat(scrape.sum("http_server_requests_seconds_count", Map.of("method", "POST", "status", "201")))
                .hasValue(1976);
        assertThat(scrape.sum("http_server_requests_seconds_count", Map.of("method", "POST")))
                .hasValue(1979);
        assertThat(scrape.sum("consumer_events_applied_total", Map.of("pattern", "NAIVE_DUAL_WRITE")))
                .isEmpty();
    }

    @Test
    void readsEscapedLabelValuesAndIgnoresTimestampsAndGarbage() {
        Scrape scrape = Scrape.parse(TEXT);

        assertThat(scrape.sum("odd_label", Map.of("message", "a \"quoted\", comma")))
                .hasValue(2.5);
        assertThat(scrape.samples()).noneMatch(sample -> sample.name().equals("this"));
    }

    @Test
    void readsAHistogramsBucketsWithTheInfiniteOne() {
        assertThat(Scrape.parse(TEXT)
                        .buckets("consumer_end_to_end_latency_seconds", Map.of("pattern", "LISTEN_TO_YOURSELF")))
                .containsExactly(Map.entry(0.1, 5.0), Map.entry(Double.POSITIVE_INFINITY, 9.0));
    }
}
