package dev.dualwrite.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.tracing.EventTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The round's judgement of failed sends, against Kafka's own {@link MockProducer} and an in-memory table: which failures
 * count against a row, and which hold nothing but the round. (A partition without a leader cannot be made on a
 * one-broker test cluster; the real-broker cases are in {@code OutboxRelayIT}.)
 */
class RelayRoundTest {

    private static final String TOPIC = Pattern.TRANSACTIONAL_OUTBOX.topic();
    private static final Node BROKER = new Node(1, "localhost", 9092);

    private final Table table = new Table();
    private final RelayProperties properties = properties(Duration.ofSeconds(5));

    @Test
    void claimsAgainAtOnceOnlyAfterAFullBatchOrARowWithItsOrdersNextEventBehindIt() {
        PendingEvent alone = table.event(null, false);
        PendingEvent followed = table.event(null, true);

        assertThat(new RelayRound.Result(List.of(alone), 2, List.of(alone), false).more())
                .as("a small batch of rows nothing waits behind: the next NOTIFY announces new rows")
                .isFalse();
        assertThat(new RelayRound.Result(List.of(alone, followed), 3, List.of(alone, followed), false).more())
                .as("publishing the followed row makes its order's next event eligible, which no NOTIFY announces")
                .isTrue();
        assertThat(new RelayRound.Result(List.of(alone, followed), 3, List.of(alone), false).more())
                .as("a followed row that was not published: its order's next event still waits behind it")
                .isFalse();
        assertThat(new RelayRound.Result(List.of(alone, alone), 2, List.of(), false).more())
                .as("a full batch: more rows may wait")
                .isTrue();
    }

    @Test
    void rowsOfAPartitionWithoutLeaderAreHeldBackUnsentWhileTheOtherPartitionsFlow() {
        MockProducer<String, String> producer = producer(BROKER, null, BROKER);
        List<PendingEvent> batch = table.pending(30);

        RelayRound.Result result = round(producer).run();

        List<PendingEvent> onLeaderless = batch.stream()
                .filter(event -> RelayRound.partitionFor(event.aggregateId(), 3) == 1)
                .toList();
        assertThat(onLeaderless).isNotEmpty();
        assertThat(table.deferred).containsExactlyInAnyOrderElementsOf(ids(onLeaderless));
        assertThat(result.acknowledged()).hasSize(batch.size() - onLeaderless.size());
        assertThat(producer.history())
                .extracting(ProducerRecord::partition)
                .doesNotContain(1)
                .hasSize(batch.size() - onLeaderless.size());
        assertThat(table.failures).as("no attempt counted").isEmpty();
    }

    @Test
    void recordsGoToThePartitionKafkasDefaultPartitionerWouldPick() {
        MockProducer<String, String> producer = producer(BROKER, BROKER, BROKER);
        table.pending(20);

        round(producer).run();

        assertThat(producer.history())
                .allSatisfy(record -> assertThat(record.partition())
                        .isEqualTo(Utils.toPositive(Utils.murmur2(record.key().getBytes(StandardCharsets.UTF_8))) % 3));
    }

    @Test
    void everyRecordCarriesItsRowsTraceAsTheSendSpanAndTheCloudEventsAttributes() {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        PendingEvent traced = table.add(
                table.event(null, false).withTraceContext("traceparent=00-%s-00f067aa0ba902b7-01\n".formatted(trace)));
        PendingEvent unreadable = table.add(table.event(null, false).withTraceContext("tracestate=\\uZZZZ\n"));
        MockProducer<String, String> producer = producer(BROKER, BROKER, BROKER);

        RelayRound.Result result = round(producer, tracing()).run();

        assertThat(result.acknowledged()).containsExactly(traced, unreadable);
        ProducerRecord<String, String> record = producer.history().get(0);
        assertThat(header(record, "traceparent"))
                .matches("00-" + trace + "-[0-9a-f]{16}-01")
                .doesNotContain("00f067aa0ba902b7");
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_id")).isEqualTo(traced.id().toString()).isEqualTo(header(record, "id"));
        assertThat(header(record, "ce_type")).isEqualTo("OrderCreated");
        assertThat(header(record, "ce_source")).isEqualTo("order-service-outbox");
        assertThat(header(record, "ce_subject")).isEqualTo(traced.aggregateId());
        assertThat(header(record, "ce_time")).isEqualTo(traced.createdAt().toString());
        assertThat(header(producer.history().get(1), "traceparent"))
                .as("a context that cannot be read: a trace of its own, and the event goes out all the same")
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
                .doesNotContain(trace);
    }

    @Test
    void everyRecordRefusedAlikeIsTheTopicsFaultNotTheRows() {
        MockProducer<String, String> producer = producer(BROKER, BROKER);
        producer.sendException = new RecordTooLargeException("the topic's max.message.bytes is below the record");
        table.pending(10);

        assertThatThrownBy(() -> round(producer).run())
                .isInstanceOfSatisfying(
                        RelayRound.RoundFailed.class,
                        failed -> assertThat(failed.failure).isEqualTo(FailureClass.SYSTEMIC))
                .hasMessageContaining("RecordTooLarge");
        assertThat(table.failures).as("nothing counted, nothing parked").isEmpty();
        assertThat(table.published).isEmpty();
    }

    @Test
    void anAuthorizationFailureIsSystemic() {
        MockProducer<String, String> producer = producer(BROKER);
        producer.sendException = new TopicAuthorizationException("not allowed to write " + TOPIC);
        table.pending(3);

        assertThatThrownBy(() -> round(producer).run())
                .isInstanceOfSatisfying(
                        RelayRound.RoundFailed.class,
                        failed -> assertThat(failed.failure).isEqualTo(FailureClass.SYSTEMIC));
        assertThat(table.failures).isEmpty();
    }

    @Test
    void aRowRefusedAgainAfterOthersWerePublishedSinceItsLastFailureIsCharged() {
        MockProducer<String, String> producer = producer(BROKER);
        producer.sendException = new RecordTooLargeException("this record is too large");
        PendingEvent failedBefore = table.pendingFailedAt(Instant.now().minusSeconds(5));
        table.lastPublished = Instant.now().minusSeconds(1);

        RelayRound.Result result = round(producer).run();

        assertThat(result.acknowledged()).isEmpty();
        assertThat(table.failures).containsExactly(failedBefore.id());
    }

    @Test
    void aRowRefusedAgainWithNothingPublishedSinceItsLastFailureIsNotCharged() {
        MockProducer<String, String> producer = producer(BROKER);
        producer.sendException = new RecordTooLargeException("this record is too large, or the topic's limit low");
        table.pendingFailedAt(Instant.now().minusSeconds(5));
        table.lastPublished = Instant.now().minusSeconds(10);

        assertThatThrownBy(() -> round(producer).run())
                .isInstanceOfSatisfying(
                        RelayRound.RoundFailed.class,
                        failed -> assertThat(failed.failure).isEqualTo(FailureClass.SYSTEMIC));
        assertThat(table.failures).isEmpty();
    }

    @Test
    void aFailureNotKnownToBeARecordsIsSystemicAndAWrappedOneIsJudgedByItsCause() {
        assertThat(FailureClass.of(new IllegalStateException("producer fenced, closed, or who knows")))
                .isEqualTo(FailureClass.SYSTEMIC);
        assertThat(FailureClass.of(new KafkaException(
                        "wrapped", new SslAuthenticationException("handshake", new SSLHandshakeException("bad cert")))))
                .isEqualTo(FailureClass.SYSTEMIC);
        assertThat(FailureClass.of(new KafkaException("wrapped", new RecordTooLargeException("big"))))
                .isEqualTo(FailureClass.ROW);
        assertThat(FailureClass.of(new NotEnoughReplicasException("isr"))).isEqualTo(FailureClass.KAFKA_UNAVAILABLE);
    }

    @Test
    void kafkaUnreachableFailsTheRoundAndChargesNoRow() {
        MockProducer<String, String> producer = producer(BROKER);
        producer.partitionsForException = new TimeoutException("no metadata in 5000 ms");
        table.pending(3);

        assertThatThrownBy(() -> round(producer).run())
                .isInstanceOfSatisfying(
                        RelayRound.RoundFailed.class,
                        failed -> assertThat(failed.failure).isEqualTo(FailureClass.KAFKA_UNAVAILABLE));
        assertThat(table.failures).isEmpty();
        assertThat(table.deferred).isEmpty();
    }

    @Test
    void aProducerThatNeitherAcknowledgesNorFailsASendIsReplacedAndTheNextRoundSendsOnANewOne() {
        // What a producer whose network thread died looks like (kafka-clients 4.1 overflow its stack re-splitting a
        // batch the broker refuses as too large): sends taken, never answered, by it or its delivery.timeout.ms.
        MockProducer<String, String> silent = producer(false, BROKER);
        MockProducer<String, String> fresh = producer(BROKER);
        List<MockProducer<String, String>> producers = new ArrayList<>(List.of(silent, fresh));
        AtomicInteger replaced = new AtomicInteger();
        NoTransactions transactions = new NoTransactions();
        List<Integer> openAtReplacement = new ArrayList<>();
        MockProducerFactory<String, String> factory = new MockProducerFactory<>(() -> producers.get(replaced.get())) {
            @Override
            public void reset() {
                openAtReplacement.add(transactions.open.get());
                replaced.incrementAndGet();
            }
        };
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RelayProperties quick = properties(Duration.ofMillis(200));
        RelayRound round = new RelayRound(
                quick,
                table,
                new KafkaTemplate<>(factory),
                new TransactionTemplate(transactions),
                new RelayMetrics(meters, quick, table),
                BatchObserver.NONE,
                EventTracing.NOOP,
                RelayRound.Sharing.alone());
        List<PendingEvent> batch = table.pending(3);

        assertThatThrownBy(round::run)
                .isInstanceOfSatisfying(
                        RelayRound.RoundFailed.class,
                        failed -> assertThat(failed.failure).isEqualTo(FailureClass.KAFKA_UNAVAILABLE));
        assertThat(replaced).hasValue(1);
        assertThat(openAtReplacement).as("replaced after the round's commit").containsExactly(0);
        assertThat(meters.get("relay.producer.replacements").counter().count()).isOne();
        assertThat(table.failures).as("no row blamed").isEmpty();

        assertThat(round.run().acknowledged()).containsExactlyElementsOf(batch);
        assertThat(fresh.history()).hasSize(batch.size());
        assertThat(replaced).as("a producer that answers is kept").hasValue(1);
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** Tracing on OpenTelemetry's own SDK, every span sampled. */
    private static EventTracing tracing() {
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        return new EventTracing(
                new OtelTracer(sdk.getTracer("test"), new OtelCurrentTraceContext(), event -> {}),
                new OtelPropagator(sdk.getPropagators(), sdk.getTracer("test")));
    }

    private RelayRound round(MockProducer<String, String> producer) {
        return round(producer, EventTracing.NOOP);
    }

    private RelayRound round(MockProducer<String, String> producer, EventTracing tracing) {
        return new RelayRound(
                properties,
                table,
                new KafkaTemplate<>(new MockProducerFactory<>(() -> producer)),
                new TransactionTemplate(new NoTransactions()),
                new RelayMetrics(new SimpleMeterRegistry(), properties, table),
                BatchObserver.NONE,
                tracing,
                RelayRound.Sharing.alone());
    }

    private static RelayProperties properties(Duration sendTimeout) {
        return new RelayProperties(
                Pattern.TRANSACTIONAL_OUTBOX,
                null,
                null,
                500,
                Duration.ofSeconds(1),
                3,
                Duration.ofMinutes(10),
                Duration.ofSeconds(1),
                Duration.ofMinutes(1),
                Duration.ofMillis(100),
                Duration.ofSeconds(10),
                sendTimeout,
                Duration.ofHours(24),
                Duration.ofMinutes(1),
                5000,
                1);
    }

    /** A topic whose partition i is led by leaders[i] (null: no leader). */
    private static MockProducer<String, String> producer(Node... leaders) {
        return producer(true, leaders);
    }

    /** @param answers whether sends complete at once (else never, unless the test completes them) */
    private static MockProducer<String, String> producer(boolean answers, Node... leaders) {
        List<PartitionInfo> partitions = IntStream.range(0, leaders.length)
                .mapToObj(i -> new PartitionInfo(TOPIC, i, leaders[i], new Node[] {BROKER}, new Node[0]))
                .toList();
        Cluster cluster = new Cluster("test", List.of(BROKER), partitions, Set.of(), Set.of());
        // Kept open: KafkaTemplate closes its producer after each call, which the real factory's shared one ignores.
        return new MockProducer<>(cluster, answers, null, new StringSerializer(), new StringSerializer()) {
            @Override
            public void close(Duration timeout) {}
        };
    }

    private static List<UUID> ids(List<PendingEvent> events) {
        return events.stream().map(PendingEvent::id).toList();
    }

    /** The relay's table, in memory: what the round claimed, marked, deferred and charged. */
    private static final class Table extends OutboxRepository {
        final List<PendingEvent> pending = new ArrayList<>();
        final List<UUID> published = new ArrayList<>();
        final List<UUID> deferred = new ArrayList<>();
        final List<UUID> failures = new ArrayList<>();
        Instant lastPublished;

        Table() {
            super(null, "outbox_events");
        }

        List<PendingEvent> pending(int orders) {
            IntStream.range(0, orders).forEach(i -> pending.add(event(null)));
            return List.copyOf(pending);
        }

        PendingEvent add(PendingEvent event) {
            pending.add(event);
            return event;
        }

        PendingEvent pendingFailedAt(Instant lastFailedAt) {
            PendingEvent event = event(lastFailedAt);
            pending.add(event);
            return event;
        }

        private static PendingEvent event(Instant lastFailedAt) {
            return event(lastFailedAt, false);
        }

        static PendingEvent event(Instant lastFailedAt, boolean followed) {
            return new PendingEvent(
                    UUID.randomUUID(),
                    UUID.randomUUID().toString(),
                    "OrderCreated",
                    "{\"version\": 1}",
                    Instant.now(),
                    lastFailedAt,
                    followed,
                    null);
        }

        @Override
        public List<PendingEvent> claim(int limit) {
            return List.copyOf(pending);
        }

        @Override
        public void markPublished(Collection<UUID> ids) {
            published.addAll(ids);
        }

        @Override
        public boolean recordFailure(UUID id, String error, RelayProperties properties) {
            failures.add(id);
            return false;
        }

        @Override
        public void defer(Collection<UUID> ids, Duration pause) {
            deferred.addAll(ids);
        }

        @Override
        public Instant lastPublished() {
            return lastPublished;
        }
    }

    /** Transactions that do nothing but count how many are open. */
    private static final class NoTransactions extends AbstractPlatformTransactionManager {
        final AtomicInteger open = new AtomicInteger();

        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
            open.incrementAndGet();
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            open.decrementAndGet();
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
            open.decrementAndGet();
        }
    }
}
