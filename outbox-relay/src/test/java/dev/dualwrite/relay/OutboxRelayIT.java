package dev.dualwrite.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.relay.testapp.RelayTestApplication;
import dev.dualwrite.testsupport.NativeStackTest;
import dev.dualwrite.testsupport.TestStack;
import dev.dualwrite.testsupport.TopicProbe;
import dev.dualwrite.tracing.EventTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest(
        classes = RelayTestApplication.class,
        properties = {
            "relay.table=outbox_events",
            "relay.topic=orders.transactional-outbox",
            "relay.batch-size=50",
            // Far longer than any wait below: only a NOTIFY can make the relay this prompt.
            "relay.poll-interval=60s",
            "relay.max-attempts=3",
            "relay.park-after=3s",
            "relay.retry-initial=200ms",
            "relay.retry-max=500ms",
            "relay.backoff-max=1s",
            "relay.send-timeout=10s",
            "relay.retention=1h",
            "relay.cleanup-batch-size=7",
            "spring.kafka.producer.properties.max.block.ms=2000",
            "spring.kafka.producer.properties.delivery.timeout.ms=8000",
            "spring.kafka.producer.properties.request.timeout.ms=3000"
        })
@NativeStackTest
class OutboxRelayIT {

    private static final String TOPIC = "orders.transactional-outbox";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    OutboxRelay relay;

    @Autowired
    OutboxRepository repository;

    @Autowired
    RelayRetention retention;

    @Autowired
    RelayHealthIndicator health;

    @Autowired
    RelayNotifications notifications;

    @Autowired
    KafkaProperties kafkaProperties;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    RelayProperties properties;

    @Autowired
    MeterRegistry meters;

    @AfterEach
    void noCrashLeftArmed() {
        RelayTestApplication.CRASH_AFTER_SEND.set(null);
    }

    @Test
    void answersOnATableWithNothingWaitingAndNothingPublished() {
        // The idle relay asks when the next retry is due after every empty round; on a table where none waits the
        // answer is "never", not a failed round (it was: min() over no row is NULL, and each idle round failed).
        jdbc.sql("DROP TABLE IF EXISTS relay_idle_probe").update();
        jdbc.sql("CREATE TABLE relay_idle_probe (LIKE outbox_events INCLUDING ALL)")
                .update();
        try {
            OutboxRepository empty = new OutboxRepository(jdbc, "relay_idle_probe");

            assertThat(empty.untilNextRetry()).isEmpty();
            assertThat(empty.lastPublished()).isNull();
        } finally {
            jdbc.sql("DROP TABLE relay_idle_probe").update();
        }
    }

    @Test
    void publishesEachRowWithKeyHeadersAndPayloadAndMarksItOnlyOnceAcknowledged() {
        String order = UUID.randomUUID().toString();
        UUID event = insert(order, 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> publishedAt(event) != null);

        ConsumerRecord<String, String> record = single(readAll(Set.of(order)).get(order));
        assertThat(record.value()).contains("\"version\": 1");
        assertThat(TopicProbe.header(record, "id")).isEqualTo(event.toString());
        assertThat(TopicProbe.header(record, "eventType")).isEqualTo("OrderCreated");
        assertThat(meters.get("relay.published")
                        .tag("table", "outbox_events")
                        .counter()
                        .count())
                .isPositive();
        assertThat(meters.get("relay.publish.latency").timer().count()).isPositive();
        assertThat(meters.get("relay.backlog").gauge().value()).isNotNegative();
    }

    @Test
    void relaysEventsOfOneOrderInVersionOrderWithTwoRelays() {
        // Only one relay of a table is woken by NOTIFY; this one polls, often enough to race the other for every row.
        RelayProperties polling = properties.withPollInterval(Duration.ofMillis(20));
        OutboxRelay second = anotherRelay(polling);
        RelayNotifications secondListens = new RelayNotifications(
                dataSource, "outbox_events", second, polling.pollInterval(), new SimpleMeterRegistry());
        second.start();
        secondListens.start();
        try {
            List<String> orders = IntStream.range(0, 60)
                    .mapToObj(i -> UUID.randomUUID().toString())
                    .toList();
            for (int version = 1; version <= 3; version++) {
                for (String order : orders) {
                    insert(order, version);
                }
            }

            Map<String, List<ConsumerRecord<String, String>>> received = readAll(new HashSet<>(orders), 3);
            assertThat(received).hasSize(orders.size());
            received.forEach((order, records) -> assertThat(versions(records))
                    .as("versions of order %s", order)
                    .containsExactly(1, 2, 3));
        } finally {
            secondListens.stop();
            second.stop();
        }
    }

    @Test
    void throughABacklogASecondRoundClaimsAndSendsWhileTheFirstAwaitsItsMarkAndEachOrderStaysInVersionOrder()
            throws Exception {
        // Rounds between their first sends and their mark; the first round to be acknowledged waits (up to 10 s) until
        // another round of the same relay is sending: the helper must have claimed a batch of its own meanwhile.
        AtomicInteger inFlight = new AtomicInteger();
        CountDownLatch overlapped = new CountDownLatch(1);
        AtomicBoolean firstAcknowledged = new AtomicBoolean();
        BatchObserver observer = new BatchObserver() {
            @Override
            public void halfSent(List<PendingEvent> batch) {
                if (inFlight.incrementAndGet() > 1) {
                    overlapped.countDown();
                }
            }

            @Override
            public void acknowledgedNotYetMarked(List<PendingEvent> acknowledged) {
                try {
                    if (firstAcknowledged.compareAndSet(false, true)) {
                        overlapped.await(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        };
        List<String> orders = IntStream.range(0, 100)
                .mapToObj(i -> UUID.randomUUID().toString())
                .toList();
        relay.stop(); // the backlog is the one below's alone: a round of this one would take part of it
        for (int version = 1; version <= 3; version++) {
            for (String order : orders) {
                insertUnannounced(order, version, "{\"orderId\": \"%s\", \"version\": %d}".formatted(order, version));
            }
        }
        OutboxRelay pipelined =
                anotherRelay(properties.withPollInterval(Duration.ofMillis(50)).withRoundsInFlight(2), observer);
        pipelined.start();
        try {
            Map<String, List<ConsumerRecord<String, String>>> received = readAll(new HashSet<>(orders), 3);

            assertThat(overlapped.getCount())
                    .as("a second round sent while the first one's acknowledged rows were not marked yet")
                    .isZero();
            assertThat(received).hasSize(orders.size());
            received.forEach((order, records) -> assertThat(versions(records))
                    .as("versions of order %s", order)
                    .containsExactly(1, 2, 3));
        } finally {
            pipelined.stop();
            relay.start();
        }
    }

    @Test
    void onlyOneRelayOfATableListensAndAnotherTakesOverWhenItStops() {
        OutboxRelay second = anotherRelay(properties);
        RelayNotifications secondListens = new RelayNotifications(
                dataSource, "outbox_events", second, Duration.ofMillis(100), new SimpleMeterRegistry());
        await().atMost(Duration.ofSeconds(10)).until(notifications::listening);
        second.start();
        secondListens.start();
        try {
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> !secondListens.listening());

            notifications.stop();
            await().atMost(Duration.ofSeconds(5)).until(secondListens::listening);
            // and it is woken by a NOTIFY now (the test relay's poll interval is 60 s)
            notifications.start();
            String order = UUID.randomUUID().toString();
            UUID event = insert(order, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> publishedAt(event) != null);
            assertThat(notifications.listening()).isFalse();
        } finally {
            secondListens.stop();
            second.stop();
            notifications.stop(); // a restart tries for the lead at once (else at its 60 s poll interval)
            notifications.start();
            await().atMost(Duration.ofSeconds(10)).until(notifications::listening);
        }
    }

    @Test
    void aListenerWhoseSessionIsKilledLeadsAgainAndIsWokenByNotify() {
        await().atMost(Duration.ofSeconds(10)).until(notifications::listening);
        // The session holding the table's lead (the only two-key advisory lock here; Flyway's has one key).
        List<Integer> killed = jdbc.sql("""
                        SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted
                        """).query(Integer.class).list();
        assertThat(killed).hasSize(1);
        jdbc.sql("SELECT pg_terminate_backend(:pid)")
                .param("pid", killed.get(0))
                .query()
                .singleValue();

        await().atMost(Duration.ofSeconds(15))
                .until(() ->
                        jdbc.sql("""
                        SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted
                        """).query(Integer.class).list().stream().anyMatch(pid -> !pid.equals(killed.get(0))));
        await().atMost(Duration.ofSeconds(10)).until(notifications::listening);
        UUID event = insert(UUID.randomUUID().toString(), 1);
        // the relay polls once a minute: only the NOTIFY to the new session can make it this prompt
        await().atMost(Duration.ofSeconds(10)).until(() -> publishedAt(event) != null);
    }

    @Test
    void publishesEveryEventOfAnOrderCommittedTogetherAfterOneNotification() {
        // One transaction, one NOTIFY, three events of one order: the relay may send only the first at once, and
        // nothing announces the second and third when the first is published. The claim says the first is followed,
        // so the relay claims again at once instead of waiting out the 60 s poll interval.
        String order = UUID.randomUUID().toString();
        List<UUID> events = transaction.execute(status -> IntStream.rangeClosed(1, 3)
                .mapToObj(version -> insertUnannounced(
                        order, version, "{\"orderId\": \"%s\", \"version\": %d}".formatted(order, version)))
                .toList());
        jdbc.sql("SELECT pg_notify('outbox_events', '')").query().singleValue();

        await().atMost(Duration.ofSeconds(15))
                .until(() -> events.stream().allMatch(event -> publishedAt(event) != null));
        assertThat(versions(readAll(Set.of(order), 3).get(order))).containsExactly(1, 2, 3);
    }

    @Test
    void aRelayDyingBetweenSendAndMarkLosesNothingAndKeepsTheOrder() {
        RelayTestApplication.CRASH_AFTER_SEND.set(new IllegalStateException("relay died after send, before mark"));
        String order = UUID.randomUUID().toString();
        UUID created = insert(order, 1);
        UUID confirmed = insert(order, 2);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> publishedAt(created) != null && publishedAt(confirmed) != null);

        List<ConsumerRecord<String, String>> records = readAll(Set.of(order), 3).get(order);
        assertThat(versions(records))
                .as("the crashed round's record again, then the next")
                .containsExactly(1, 1, 2);
    }

    @Test
    void keepsRetryingWhileKafkaIsDownAndDeliversEverythingOnceItIsBack() {
        var stack = TestStack.postgresAndKafka();
        stack.stopKafka(line -> {});
        List<String> orders = IntStream.range(0, 20)
                .mapToObj(i -> UUID.randomUUID().toString())
                .toList();
        List<UUID> events;
        try {
            events = orders.stream().map(order -> insert(order, 1)).toList();
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.consecutiveFailures() >= 3);
            assertThat(health.health().getStatus().getCode()).isEqualTo("DOWN");
            assertThat(events)
                    .allSatisfy(event -> assertThat(publishedAt(event)).isNull());
            assertThat(attempts(events))
                    .as("Kafka being down counts against no row")
                    .isZero();
        } finally {
            stack.startKafka(line -> {});
        }

        await().atMost(Duration.ofSeconds(60))
                .until(() -> events.stream().allMatch(event -> publishedAt(event) != null));
        assertThat(readAll(new HashSet<>(orders))).hasSize(orders.size());
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
    }

    @Test
    void parksARowThatFailsOnItsOwnOnlyAfterItsWindowWhileOtherOrdersKeepFlowing() {
        String poisoned = UUID.randomUUID().toString();
        UUID tooLarge = insertRaw(poisoned, 1, "{\"padding\": \"" + "x".repeat(2_000_000) + "\"}");
        UUID behindIt = insert(poisoned, 2);
        List<UUID> others = new ArrayList<>();

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    others.add(insert(UUID.randomUUID().toString(), 1));
                    return repository.parked(100).stream().anyMatch(p -> p.id().equals(tooLarge));
                });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> others.stream().allMatch(other -> publishedAt(other) != null));

        ParkedEvent parked = repository.parked(100).stream()
                .filter(p -> p.id().equals(tooLarge))
                .findFirst()
                .orElseThrow();
        assertThat(parked.attempts()).isGreaterThanOrEqualTo(3);
        assertThat(parked.lastError()).contains("RecordTooLarge");
        assertThat(jdbc.sql(
                                "SELECT parked_at - first_failed_at >= interval '3 seconds' FROM outbox_events WHERE id = :id")
                        .param("id", tooLarge)
                        .query(Boolean.class)
                        .single())
                .as("parked only after relay.park-after")
                .isTrue();
        assertThat(publishedAt(behindIt))
                .as("the order's next event waits behind its parked one")
                .isNull();
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");

        jdbc.sql("UPDATE outbox_events SET payload = '{\"version\": 1}' WHERE id = :id")
                .param("id", tooLarge)
                .update();
        assertThat(repository.redrive(tooLarge)).isTrue();
        relay.wakeUp();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> publishedAt(tooLarge) != null && publishedAt(behindIt) != null);
        assertThat(versions(readAll(Set.of(poisoned), 2).get(poisoned))).containsExactly(1, 2);
    }

    @Test
    void aRowsOwnRetryIsScheduledExponentiallyFromTheMomentItFailed() {
        UUID row = UUID.randomUUID();
        // Not due for an hour: the running relay leaves it to this test.
        jdbc.sql("""
                INSERT INTO outbox_events (id, aggregatetype, aggregateid, type, payload, next_attempt_at)
                VALUES (:id, 'Order', :order, 'OrderCreated', '{}', now() + interval '1 hour')
                """)
                .param("id", row)
                .param("order", UUID.randomUUID().toString())
                .update();
        transaction.executeWithoutResult(status -> repository.recordFailure(row, "first", properties));
        transaction.executeWithoutResult(status -> repository.recordFailure(row, "second", properties));

        Map<String, Object> schedule = jdbc.sql("""
                SELECT attempts, extract(epoch FROM next_attempt_at - last_failed_at) * 1000 AS pause_millis,
                       parked_at IS NULL AS waiting, last_failed_at > first_failed_at AS failed_twice
                  FROM outbox_events WHERE id = :id
                """).param("id", row).query().singleRow();
        assertThat(schedule.get("attempts")).isEqualTo(2);
        assertThat(((Number) schedule.get("pause_millis")).doubleValue())
                .as("retry-initial (200 ms) × 2^1, counted from the second failure")
                .isCloseTo(400, Offset.offset(1.0));
        assertThat(schedule).containsEntry("waiting", true).containsEntry("failed_twice", true);
    }

    @Test
    void aTopicLimitBelowEveryRecordParksNothingReportsDownAndAllFlowsInOrderOnceItIsRestored() throws Exception {
        List<String> orders = IntStream.range(0, 10)
                .mapToObj(i -> UUID.randomUUID().toString())
                .toList();
        List<UUID> events = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafkaProperties.getBootstrapServers())))) {
            alterMaxMessageBytes(admin, AlterConfigOp.OpType.SET, "64");
            try {
                for (int version = 1; version <= 3; version++) {
                    for (String order : orders) {
                        events.add(insert(order, version));
                    }
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> health.health().getStatus().getCode().equals("DOWN"));
                // SYSTEMIC when the broker's refusal reaches the relay (RecordTooLargeException); when the producer
                // had batched several records, it splits and resends them until delivery.timeout.ms ends it with a
                // TimeoutException ("Expiring N record(s)") — Kafka unavailable, to the relay. Either way: no row
                // blamed, DOWN with the reason.
                assertThat(health.health().getDetails())
                        .hasEntrySatisfying(
                                "failure", failure -> assertThat(failure).isIn("SYSTEMIC", "KAFKA_UNAVAILABLE"))
                        .hasEntrySatisfying(
                                "reason",
                                reason -> assertThat((String) reason).containsAnyOf("RecordTooLarge", "Expiring"));
                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> attempts(events) == 0 && repository.parkedCount() == 0);
                assertThat(meters.get("relay.round.failures").counters())
                        .as("rounds failed as a whole, of either class")
                        .anySatisfy(counter -> assertThat(counter.count()).isPositive());
            } finally {
                alterMaxMessageBytes(admin, AlterConfigOp.OpType.DELETE, "");
            }
        }

        // The producer splits a batch the broker refuses as too large and resends it, chaining each record's future
        // once per split; completing a chain thousands deep once the limit is restored can overflow its network
        // thread's stack (kafka-clients 4.1, KAFKA-8202) after the broker wrote the batch. The dead producer answers
        // nothing more: the relay replaces it, and sends those rows again — duplicates, the first copies in order.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> events.stream().allMatch(event -> publishedAt(event) != null));
        readAll(new HashSet<>(orders), 3)
                .forEach((order, records) -> assertThat(
                                versions(records).stream().distinct().toList())
                        .as("order %s, first copies", order)
                        .containsExactly(1, 2, 3));
        assertThat(repository.parkedCount()).isZero();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> health.health().getStatus().getCode().equals("UP"));
    }

    private static void alterMaxMessageBytes(Admin admin, AlterConfigOp.OpType operation, String value)
            throws Exception {
        admin.incrementalAlterConfigs(Map.of(
                        new ConfigResource(ConfigResource.Type.TOPIC, TOPIC),
                        List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", value), operation))))
                .all()
                .get();
    }

    @Test
    void deletesPublishedRowsPastRetentionInBoundedBatchesAndKeepsTheRest() {
        List<UUID> expired =
                IntStream.range(0, 20).mapToObj(i -> insertPublished("3 hours")).toList();
        UUID recent = insertPublished("10 minutes");

        int deleted = retention.deleteExpired();

        assertThat(deleted).isGreaterThanOrEqualTo(expired.size());
        assertThat(jdbc.sql("SELECT count(*) FROM outbox_events WHERE id IN (:ids)")
                        .param("ids", expired)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM outbox_events WHERE id = :id")
                        .param("id", recent)
                        .query(Long.class)
                        .single())
                .isOne();
    }

    /** A second relay of the same table, as a second poller process would run it. */
    private OutboxRelay anotherRelay(RelayProperties settings) {
        return anotherRelay(settings, BatchObserver.NONE);
    }

    private OutboxRelay anotherRelay(RelayProperties settings, BatchObserver observer) {
        return new OutboxRelay(
                settings,
                repository,
                new DefaultKafkaProducerFactory<>(kafkaProperties.buildProducerProperties()),
                transaction,
                new RelayMetrics(new SimpleMeterRegistry(), settings, repository),
                observer,
                EventTracing.NOOP);
    }

    private UUID insert(String order, int version) {
        return insertRaw(order, version, "{\"orderId\": \"%s\", \"version\": %d}".formatted(order, version));
    }

    private UUID insertRaw(String order, int version, String payload) {
        UUID id = insertUnannounced(order, version, payload);
        // What an order service's RelayWakeUp sends after its commit.
        jdbc.sql("SELECT pg_notify('outbox_events', '')").query().singleValue();
        return id;
    }

    private UUID insertUnannounced(String order, int version, String payload) {
        UUID id = UUID.randomUUID();
        String type = version == 1 ? "OrderCreated" : "OrderConfirmed";
        jdbc.sql("""
                INSERT INTO outbox_events (id, aggregatetype, aggregateid, type, payload)
                VALUES (:id, 'Order', :order, :type, CAST(:payload AS jsonb))
                """)
                .param("id", id)
                .param("order", order)
                .param("type", type)
                .param("payload", payload)
                .update();
        return id;
    }

    private UUID insertPublished(String age) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO outbox_events (id, aggregatetype, aggregateid, type, payload, published_at)
                VALUES (:id, 'Order', :order, 'OrderCreated', '{}', now() - CAST(:age AS interval))
                """)
                .param("id", id)
                .param("order", UUID.randomUUID().toString())
                .param("age", age)
                .update();
        return id;
    }

    private Object publishedAt(UUID event) {
        return jdbc.sql("SELECT published_at FROM outbox_events WHERE id = :id")
                .param("id", event)
                .query((rs, row) -> rs.getTimestamp(1))
                .optional()
                .orElse(null);
    }

    private long attempts(Collection<UUID> events) {
        return jdbc.sql("SELECT coalesce(sum(attempts), 0) FROM outbox_events WHERE id IN (:ids)")
                .param("ids", events)
                .query(Long.class)
                .single();
    }

    private Map<String, List<ConsumerRecord<String, String>>> readAll(Set<String> keys) {
        return readAll(keys, 1);
    }

    /** The records of these keys only, once every key has at least {@code perKey}. */
    private static Map<String, List<ConsumerRecord<String, String>>> readAll(Set<String> keys, int perKey) {
        Map<String, List<ConsumerRecord<String, String>>> byKey =
                new LinkedHashMap<>(TopicProbe.awaitRecords(TOPIC, keys, perKey));
        byKey.keySet().retainAll(keys);
        return byKey;
    }

    private static List<Integer> versions(List<ConsumerRecord<String, String>> records) {
        return records.stream()
                .map(record -> Integer.parseInt(record.value().replaceAll(".*\"version\": (\\d+).*", "$1")))
                .toList();
    }

    private static ConsumerRecord<String, String> single(List<ConsumerRecord<String, String>> records) {
        assertThat(records).hasSize(1);
        return records.get(0);
    }
}
