package dev.dualwrite.lab;

import static dev.dualwrite.testsupport.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.labhooks.Failpoints;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.stack.Suite;
import dev.dualwrite.testsupport.ApplicationPorts;
import dev.dualwrite.testsupport.TestStack;
import dev.dualwrite.testsupport.TopicProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One trace from the HTTP request to the downstream effect, for every pattern: each application as its own process
 * (the jars the build made) exporting to a real Zipkin server, Debezium in Kafka Connect exporting through
 * OpenTelemetry's SDK. A request that arrives with a W3C traceparent leaves a record on its pattern's topic that
 * carries the same trace (and the CloudEvents attributes), and Zipkin holds the trace with the order service, the
 * relay or Kafka Connect, and order-consumer in it.
 */
class EndToEndTracingIT {

    private static final String BODY = """
            {"customerId": "c-trace", "currency": "EUR", "items": [{"sku": "A-1", "quantity": 2, "unitPrice": 3.5}]}
            """;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final Application OUTBOX_RELAY = Suite.OUTBOX.relays().get(0);

    /** One relay per polled pattern, so that the relay a failpoint halts is the one that publishes. */
    private static final List<Application> APPLICATIONS = List.of(
            Suite.OUTBOX.service(),
            Suite.LISTEN_TO_YOURSELF.service(),
            Suite.LOG_TAILING.service(),
            Suite.ORDER_CONSUMER,
            OUTBOX_RELAY,
            Suite.LISTEN_TO_YOURSELF.relays().get(0));

    private static NativeStack stack;

    @BeforeAll
    static void tracedApplications() throws Exception {
        TestStack.withConnect();
        StackSettings settings = TestStack.withZipkin()
                .settings()
                .withApplications(ApplicationPorts.freeOffset(APPLICATIONS, 20000), "lab");
        stack = new NativeStack(settings);
        stack.startApplications(APPLICATIONS, System.out::println);
        stack.registerConnector(System.out::println);
        // Orders through each service first, until Zipkin has spans of every application and of Connect: what is
        // tested is a trace's way, not a fresh JVM's first request nor a freshly started Zipkin's first batches (CI
        // lost a whole service's spans of a case twice, Zipkin logging "Unexpected error handling POST" meanwhile).
        Set<String> exporters = Set.of(
                Suite.OUTBOX.service().name(),
                Suite.LISTEN_TO_YOURSELF.service().name(),
                Suite.LOG_TAILING.service().name(),
                relayOf(Pattern.TRANSACTIONAL_OUTBOX),
                relayOf(Pattern.LISTEN_TO_YOURSELF),
                "kafka-connect",
                Suite.ORDER_CONSUMER.name());
        await("spans of " + exporters + " in Zipkin")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(5))
                .until(() -> {
                    for (Suite.Deployment deployment : Suite.PATTERNS) {
                        create(deployment.service(), randomHex(16));
                    }
                    HttpResponse<String> services = HTTP.send(
                            HttpRequest.newBuilder(URI.create(stack.settings().zipkinUrl() + "/api/v2/services"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    return services.statusCode() == 200
                            && StreamSupport.stream(
                                            JSON.readTree(services.body()).spliterator(), false)
                                    .map(JsonNode::asString)
                                    .collect(Collectors.toSet())
                                    .containsAll(exporters);
                });
    }

    @AfterAll
    static void stopApplications() {
        stack.stopApplications(APPLICATIONS, line -> {});
    }

    @ParameterizedTest
    @EnumSource(
            value = Pattern.class,
            names = {"TRANSACTIONAL_OUTBOX", "LISTEN_TO_YOURSELF", "TRANSACTIONAL_LOG_TAILING"})
    void aRequestsTraceReachesTheTopicAndZipkinThroughTheRelayOrConnectToOrderConsumer(Pattern pattern)
            throws Exception {
        Suite.Deployment deployment = Suite.PATTERNS.stream()
                .filter(candidate -> candidate.pattern() == pattern)
                .findFirst()
                .orElseThrow();
        String traceId = randomHex(16);

        String orderId = create(deployment.service(), traceId);

        ConsumerRecord<String, byte[]> created =
                TopicProbe.awaitRawRecords(pattern.topic(), orderId, 1).get(0);
        assertThat(header(created, "traceparent")).startsWith("00-" + traceId + "-");
        assertThat(header(created, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(created, "ce_id")).isEqualTo(header(created, "id"));
        assertThat(header(created, "ce_type")).isEqualTo("OrderCreated");
        assertThat(header(created, "ce_source")).isEqualTo(pattern.service());
        assertThat(header(created, "ce_subject")).isEqualTo(orderId);
        assertThat(header(created, "ce_time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

        String carrier = pattern == Pattern.TRANSACTIONAL_LOG_TAILING ? "kafka-connect" : relayOf(pattern);
        List<JsonNode> spans =
                awaitTrace(traceId, Set.of(deployment.service().name(), carrier, Suite.ORDER_CONSUMER.name()));
        // The record carries the context of the relay's send span (of Debezium's span in Connect), and
        // order-consumer's span is that span's child.
        String recordSpan = header(created, "traceparent").split("-")[2];
        assertThat(spans)
                .filteredOn(span -> span.path("id").asString().equals(recordSpan))
                .singleElement()
                .satisfies(span -> assertThat(service(span)).isEqualTo(carrier));
        assertThat(spans)
                .filteredOn(span -> service(span).equals(Suite.ORDER_CONSUMER.name()))
                .anySatisfy(span -> assertThat(span.path("parentId").asString()).isEqualTo(recordSpan));
        if (pattern == Pattern.LISTEN_TO_YOURSELF) {
            // The self-confirmation's event row carries the trace onwards: its record belongs to the same trace.
            List<ConsumerRecord<String, byte[]>> both = TopicProbe.awaitRawRecords(pattern.topic(), orderId, 2);
            assertThat(both)
                    .extracting(record -> header(record, "eventType"))
                    .containsExactly("OrderCreated", "OrderConfirmed");
            assertThat(header(both.get(1), "traceparent")).startsWith("00-" + traceId + "-");
        }
    }

    @Test
    void aRecordSentAgainAfterTheRelayWasKilledBetweenSendAndMarkCarriesTheOriginalTrace() throws Exception {
        // The failpoint halts on the next batch the relay sends: nothing but this test's order may be pending.
        await().atMost(Duration.ofSeconds(60)).until(() -> pendingOutboxRows() == 0);
        HttpResponse<String> armed = HTTP.send(
                HttpRequest.newBuilder(URI.create(OUTBOX_RELAY.url(stack.settings()) + "/lab/failpoints/"
                                + Failpoints.RELAY_AFTER_SEND_BEFORE_MARK + "?afterHits=1"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(armed.statusCode()).as(armed.body()).isEqualTo(200);
        String traceId = randomHex(16);

        ProcessHandle relay = stack.running(OUTBOX_RELAY.name()).orElseThrow();

        String orderId = create(Suite.OUTBOX.service(), traceId);
        relay.onExit().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> ApplicationPorts.free(OUTBOX_RELAY.port(stack.settings())));
        stack.startApplications(List.of(OUTBOX_RELAY), System.out::println);

        List<ConsumerRecord<String, byte[]>> sent =
                TopicProbe.awaitRawRecords(Pattern.TRANSACTIONAL_OUTBOX.topic(), orderId, 2);
        assertThat(sent).extracting(record -> header(record, "id")).containsOnly(header(sent.get(0), "id"));
        assertThat(sent)
                .allSatisfy(record -> assertThat(header(record, "traceparent")).startsWith("00-" + traceId + "-"));
        // Awaited, not checked once: the send span ends at Kafka's acknowledgement, after the wait span, and may
        // reach Zipkin in the relay's next export.
        awaitTrace(
                traceId,
                Set.of(Suite.OUTBOX.service().name(), OUTBOX_RELAY.module(), Suite.ORDER_CONSUMER.name()),
                "the restarted relay's send span, in the original trace",
                spans -> spans.stream()
                        .anyMatch(span -> "PRODUCER".equals(span.path("kind").asString())
                                && OUTBOX_RELAY.module().equals(service(span))));
    }

    /** Zipkin names a relay by its application name, the module's: both instances are one service. */
    private static String relayOf(Pattern pattern) {
        return pattern == Pattern.TRANSACTIONAL_OUTBOX
                ? Suite.OUTBOX.relays().get(0).module()
                : Suite.LISTEN_TO_YOURSELF.relays().get(0).module();
    }

    private static String create(Application service, String traceId) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(service.url(stack.settings()) + "/api/orders"))
                        .header("Content-Type", "application/json")
                        .header("traceparent", "00-%s-%s-01".formatted(traceId, randomHex(8)))
                        .POST(HttpRequest.BodyPublishers.ofString(BODY))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("id").asString();
    }

    private static long pendingOutboxRows() throws Exception {
        StackSettings settings = stack.settings();
        try (Connection connection =
                        DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password());
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery("SELECT count(*) FROM outbox_events WHERE published_at IS NULL")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String service(JsonNode span) {
        return span.path("localEndpoint").path("serviceName").asString();
    }

    /** The trace's spans in Zipkin, once spans of every expected service are there (spans arrive in batches). */
    private static List<JsonNode> awaitTrace(String traceId, Set<String> expected) {
        return awaitTrace(traceId, expected, "spans of " + expected, spans -> true);
    }

    /** The trace once it has spans of every {@code expected} service and is {@code complete}. */
    private static List<JsonNode> awaitTrace(
            String traceId, Set<String> expected, String what, Predicate<List<JsonNode>> complete) {
        URI trace = URI.create(stack.settings().zipkinUrl() + "/api/v2/trace/" + traceId);
        return await(what)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            HttpResponse<String> response = HTTP.send(
                                    HttpRequest.newBuilder(trace).build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200) {
                                return List.<JsonNode>of();
                            }
                            return StreamSupport.stream(
                                            JSON.readTree(response.body()).spliterator(), false)
                                    .toList();
                        },
                        spans -> spans.stream()
                                        .map(EndToEndTracingIT::service)
                                        .collect(Collectors.toSet())
                                        .containsAll(expected)
                                && complete.test(spans));
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
