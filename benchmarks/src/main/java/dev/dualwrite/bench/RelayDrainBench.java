package dev.dualwrite.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.zaxxer.hikari.HikariDataSource;
import dev.dualwrite.debezium.DebeziumConnector;
import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.relay.BatchObserver;
import dev.dualwrite.relay.OutboxRelay;
import dev.dualwrite.relay.OutboxRepository;
import dev.dualwrite.relay.PendingEvent;
import dev.dualwrite.relay.RelayMetrics;
import dev.dualwrite.relay.RelayProperties;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.tracing.CloudEventHeaders;
import dev.dualwrite.tracing.EventTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Relay drain: a backlog of N events published by one relay, by two relays and by Debezium, beside the two ceilings
 * measured in the same run — a raw Kafka producer sending the same records from memory, and a raw SQL loop that claims
 * and marks the same rows without Kafka. The relays here are the library itself (outbox-relay), run in this JVM on
 * fixture tables shaped like outbox_events and cdc_outbox, so the stack's own pollers and connector are not involved.
 */
final class RelayDrainBench {

    private static final String TABLE = "bench_outbox";
    private static final String CDC_TABLE = "bench_cdc_outbox";
    private static final String TOPIC = "bench.relay";
    private static final String CDC_TOPIC = "bench.log-tailing";
    static final int BATCH = 1000;
    /** The relays' default (relay.rounds-in-flight), as the pollers run. */
    static final int ROUNDS_IN_FLIGHT = 2;

    private final StackSettings settings;
    private final HikariDataSource dataSource = new HikariDataSource();
    private final JdbcClient jdbc;
    private final int events;

    /** Where one relay's rounds spent their time, in milliseconds summed over the drain. */
    record Profile(double claimMs, double sendAndAckMs, double markMs, double commitAndRestMs, int rounds) {

        double totalMs() {
            return claimMs + sendAndAckMs + markMs + commitAndRestMs;
        }
    }

    private Profile profile;
    private final Map<Integer, Double> rawSqlByEventsPerOrder = new LinkedHashMap<>();
    private final Map<Integer, Double> rawSqlBusyByEventsPerOrder = new LinkedHashMap<>();
    private final Map<Integer, Double> onePollerBusyByEventsPerOrder = new LinkedHashMap<>();
    private double rawProducerBusy = Double.NaN;
    private double backgroundBusy = Double.NaN;
    private final Map<Integer, Double> onePollerByEventsPerOrder = new LinkedHashMap<>();
    private final Map<Integer, Double> onePollerOneRoundByEventsPerOrder = new LinkedHashMap<>();
    private final Map<Integer, Double> twoPollersByEventsPerOrder = new LinkedHashMap<>();

    RelayDrainBench(StackSettings settings, int events) {
        this.settings = settings;
        this.events = events;
        dataSource.setJdbcUrl(settings.jdbcUrl());
        dataSource.setUsername(settings.username());
        dataSource.setPassword(settings.password());
        dataSource.setMaximumPoolSize(8);
        this.jdbc = JdbcClient.create(dataSource);
    }

    Map<String, Double> run() throws Exception {
        createFixtures();
        Map<String, Double> rates = new LinkedHashMap<>();
        try {
            backgroundBusy = sampleBackgroundBusy();
            // The better of two, as the relays' and the loop's drains: the first send also warms the producer's code.
            DrainRate producer = rawProducer().better(rawProducer());
            rates.put("rawProducerEventsPerSecond", producer.eventsPerSecond());
            rawProducerBusy = producer.busyPercent();
            for (int perOrder : EVENTS_PER_ORDER) {
                // Each twice, interleaved, and the better of the two kept: a drain lasts seconds, and one run's raw
                // loop came out 70 % faster than the run before on the same code; a stall only ever slows a drain.
                DrainRate rawSql = DrainRate.NONE;
                DrainRate onePoller = DrainRate.NONE;
                DrainRate oneRoundAtATime = DrainRate.NONE;
                for (int attempt = 0; attempt < 2; attempt++) {
                    rawSql = rawSql.better(rawSql(perOrder));
                    onePoller = onePoller.better(relays(1, perOrder, ROUNDS_IN_FLIGHT));
                    oneRoundAtATime = oneRoundAtATime.better(relays(1, perOrder, 1));
                }
                rawSqlByEventsPerOrder.put(perOrder, rawSql.eventsPerSecond());
                rawSqlBusyByEventsPerOrder.put(perOrder, rawSql.busyPercent());
                onePollerByEventsPerOrder.put(perOrder, onePoller.eventsPerSecond());
                onePollerBusyByEventsPerOrder.put(perOrder, onePoller.busyPercent());
                onePollerOneRoundByEventsPerOrder.put(perOrder, oneRoundAtATime.eventsPerSecond());
            }
            rates.put("rawSqlEventsPerSecond", rawSqlByEventsPerOrder.get(1));
            rates.put("onePollerEventsPerSecond", onePollerByEventsPerOrder.get(1));
            profile = profiledRelay();
            for (int perOrder : EVENTS_PER_ORDER) {
                twoPollersByEventsPerOrder.put(
                        perOrder, relays(2, perOrder, ROUNDS_IN_FLIGHT).eventsPerSecond());
            }
            rates.put("twoPollersEventsPerSecond", twoPollersByEventsPerOrder.get(1));
            rates.put("debeziumEventsPerSecond", debezium().eventsPerSecond());
        } finally {
            jdbc.sql("DROP TABLE IF EXISTS " + TABLE).update();
            jdbc.sql("DROP TABLE IF EXISTS " + CDC_TABLE).update();
            dataSource.close();
        }
        return rates;
    }

    private void createFixtures() throws Exception {
        jdbc.sql("DROP TABLE IF EXISTS " + TABLE).update();
        jdbc.sql("CREATE TABLE " + TABLE + " (LIKE outbox_events INCLUDING ALL)")
                .update();
        jdbc.sql("DROP TABLE IF EXISTS " + CDC_TABLE).update();
        jdbc.sql("CREATE TABLE " + CDC_TABLE + " (LIKE cdc_outbox INCLUDING ALL)")
                .update();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers()))) {
            for (String topic : List.of(TOPIC, CDC_TOPIC)) {
                if (!admin.listTopics().names().get().contains(topic)) {
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)))
                            .all()
                            .get();
                }
            }
        }
    }

    /** The events per order of the drains that compare the relay with the raw SQL loop. */
    static final List<Integer> EVENTS_PER_ORDER = List.of(1, 3, 10);

    /** N pending rows of N distinct orders, each a realistic OrderCreated event (~450 bytes of JSON); analysed. */
    private void seed(String table) {
        seed(table, 1);
        jdbc.sql("ANALYZE " + table).update();
    }

    /**
     * N pending rows, {@code perOrder} events per order, committed in one statement (returning when they are
     * visible), in {@link #BACKLOG}'s order.
     */
    private void seed(String table, int perOrder) {
        jdbc.sql("TRUNCATE " + table).update();
        jdbc.sql("""
                INSERT INTO %s (id, aggregatetype, aggregateid, type, payload)
                SELECT id, 'Order', order_id::text, type, payload::jsonb FROM (%s) backlog ORDER BY tick
                """.formatted(table, BACKLOG))
                .params(backlogParameters(events, perOrder, "TRANSACTIONAL_OUTBOX", "bench-"))
                .update();
    }

    /**
     * The drains' backlog, as a query: {@code :events} events (id, order_id, type, tick, payload), each a realistic
     * order event as the services serialise it (~450 bytes of JSON), {@code :perOrder} per order in version order,
     * interleaved with other orders' as concurrent orders are: order o's j-th event at tick o + 100·j, so about 100
     * orders' events lie between two events of one order — a publisher's "earliest unpublished event of its order"
     * rule has work to do once there are several. Shared with {@link PeerDrainBench}: the peers drain the same backlog.
     */
    static final String BACKLOG = """
            SELECT e.id, e.order_id, e.type, e.i + 100 * e.j AS tick,
                   format('{"eventId":"%s","eventType":"%s","orderId":"%s","pattern":"%s","version":%s,'
                          || '"occurredAt":"%s","order":{"id":"%s","customerId":"%s","status":"PENDING",'
                          || '"currency":"EUR","totalAmount":19.90,"items":[{"sku":"sku-%s","quantity":2,'
                          || '"unitPrice":9.95}]}}',
                          e.id, e.type, e.order_id, :pattern, e.j,
                          to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '.123457Z',
                          e.order_id, :customerPrefix || e.i, e.i) AS payload
              FROM (SELECT o.i, o.order_id, j, gen_random_uuid() AS id,
                           CASE WHEN j = 1 THEN 'OrderCreated' ELSE 'OrderConfirmed' END AS type
                      FROM (SELECT i, gen_random_uuid() AS order_id FROM generate_series(1, :orders) i) o
                     CROSS JOIN generate_series(1, :perOrder) j) e
             ORDER BY e.i + 100 * e.j, e.j
             LIMIT :events
            """;

    /** {@link #BACKLOG}'s parameters; the payloads name {@code pattern}, their customers start with the prefix. */
    static Map<String, Object> backlogParameters(int events, int perOrder, String pattern, String customerPrefix) {
        return Map.of(
                "events",
                events,
                "orders",
                (events + perOrder - 1) / perOrder,
                "perOrder",
                perOrder,
                "pattern",
                pattern,
                "customerPrefix",
                customerPrefix);
    }

    /**
     * The backlog's records from memory, sent by a bare KafkaProducer: with the headers a relay puts on each record
     * (the contract's id and eventType, the CloudEvents attributes), so that the ceiling sends what a relay must.
     */
    private DrainRate rawProducer() throws Exception {
        seed(TABLE);
        List<ProducerRecord<String, String>> records = jdbc.sql(
                        "SELECT id, aggregateid, type, payload::text, created_at FROM " + TABLE)
                .query((rs, row) -> {
                    String id = rs.getString(1);
                    ProducerRecord<String, String> record =
                            new ProducerRecord<>(TOPIC, rs.getString(2), rs.getString(4));
                    record.headers().add(OrderEvent.ID_HEADER, id.getBytes(UTF_8));
                    record.headers()
                            .add(OrderEvent.EVENT_TYPE_HEADER, rs.getString(3).getBytes(UTF_8));
                    CloudEventHeaders.add(
                            record.headers(),
                            id,
                            rs.getString(3),
                            "bench",
                            rs.getString(2),
                            rs.getTimestamp(5).toInstant());
                    return record;
                })
                .list();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer())) {
            Stopwatch start = Stopwatch.start();
            for (ProducerRecord<String, String> record : records) {
                producer.send(record);
            }
            producer.flush();
            return report("raw Kafka producer (from memory, the relay's headers)", start);
        }
    }

    /** The machine's busy share over two seconds with nothing drained: what every drain's share carries besides. */
    private static double sampleBackgroundBusy() throws InterruptedException {
        long[] start = WindowCpu.machineTicks();
        Thread.sleep(2000);
        double busy = WindowCpu.busyPercent(start, WindowCpu.machineTicks());
        System.out.printf("  machine %.0f %% busy with nothing drained (the rest of the suite)%n", busy);
        return busy;
    }

    private DrainRate rawSql(int perOrder) {
        seed(TABLE, perOrder);
        jdbc.sql("ANALYZE " + TABLE).update();
        OutboxRepository repository = new OutboxRepository(jdbc, TABLE);
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        Stopwatch start = Stopwatch.start();
        int claimed;
        do {
            claimed = transaction.execute(status -> {
                var batch = repository.claim(BATCH);
                repository.markPublished(batch.stream().map(event -> event.id()).toList());
                return batch.size();
            });
        } while (claimed > 0);
        return report("raw SQL claim + mark (no Kafka), %d event(s)/order".formatted(perOrder), start);
    }

    Profile profile() {
        return profile;
    }

    /** One relay's drain rate by events per order (1, 3, 10). */
    Map<Integer, Double> onePollerByEventsPerOrder() {
        return onePollerByEventsPerOrder;
    }

    /** How busy the machine was before the drains, with nothing drained: the rest of the suite idling. */
    double backgroundBusy() {
        return backgroundBusy;
    }

    /** How busy the machine was while the raw producer sent the backlog (the better of two sends). */
    double rawProducerBusy() {
        return rawProducerBusy;
    }

    /** How busy the machine was during the raw SQL loop's counted drain, by events per order. */
    Map<Integer, Double> rawSqlBusyByEventsPerOrder() {
        return rawSqlBusyByEventsPerOrder;
    }

    /** How busy the machine was during one relay's counted drain (two rounds in flight), by events per order. */
    Map<Integer, Double> onePollerBusyByEventsPerOrder() {
        return onePollerBusyByEventsPerOrder;
    }

    /** One relay's drain rate by events per order, one round at a time (relay.rounds-in-flight=1). */
    Map<Integer, Double> onePollerOneRoundByEventsPerOrder() {
        return onePollerOneRoundByEventsPerOrder;
    }

    /** Two relays' drain rate by events per order: what the peers' two instances are compared with. */
    Map<Integer, Double> twoPollersByEventsPerOrder() {
        return twoPollersByEventsPerOrder;
    }

    /** The raw SQL loop's rate by events per order. */
    Map<Integer, Double> rawSqlByEventsPerOrder() {
        return rawSqlByEventsPerOrder;
    }

    /**
     * One more one-relay drain with a stopwatch at each step of a round: the claim query, sending and awaiting every
     * acknowledgement, the mark, and the rest (commit, transaction). Run after the timed drain, so the timing does
     * not slow the figure above.
     */
    private Profile profiledRelay() {
        seed(TABLE);
        long[] nanos = new long[4];
        long[] stepStart = new long[1];
        OutboxRepository timed = new OutboxRepository(jdbc, TABLE) {
            @Override
            public List<PendingEvent> claim(int limit) {
                long start = System.nanoTime();
                List<PendingEvent> claimed = super.claim(limit);
                nanos[0] += System.nanoTime() - start;
                stepStart[0] = System.nanoTime();
                return claimed;
            }

            @Override
            public void markPublished(Collection<UUID> ids) {
                long start = System.nanoTime();
                nanos[1] += start - stepStart[0];
                super.markPublished(ids);
                nanos[2] += System.nanoTime() - start;
            }
        };
        RelayProperties properties = relayProperties();
        OutboxRelay relay = new OutboxRelay(
                properties,
                timed,
                new DefaultKafkaProducerFactory<>(producerConfig()),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                new RelayMetrics(new SimpleMeterRegistry(), properties, timed),
                BatchObserver.NONE,
                EventTracing.NOOP);
        int rounds = 0;
        long start = System.nanoTime();
        while (relay.relayBatch() > 0) {
            rounds++;
        }
        long total = System.nanoTime() - start;
        relay.stop();
        Profile profile = new Profile(
                nanos[0] / 1e6, nanos[1] / 1e6, nanos[2] / 1e6, (total - nanos[0] - nanos[1] - nanos[2]) / 1e6, rounds);
        System.out.printf(
                "  one relay, profiled: %d rounds; claim %.0f%%, send + await acks %.0f%%, mark %.0f%%, commit and"
                        + " rest %.0f%%%n",
                rounds,
                100 * profile.claimMs() / profile.totalMs(),
                100 * profile.sendAndAckMs() / profile.totalMs(),
                100 * profile.markMs() / profile.totalMs(),
                100 * profile.commitAndRestMs() / profile.totalMs());
        return profile;
    }

    private RelayProperties relayProperties() {
        return new RelayProperties(
                null,
                TABLE,
                TOPIC,
                BATCH,
                Duration.ofSeconds(1),
                5,
                Duration.ofMinutes(10),
                Duration.ofSeconds(1),
                Duration.ofMinutes(1),
                Duration.ofMillis(100),
                Duration.ofSeconds(10),
                null, // the producer's delivery.timeout.ms + 5 s, as in the pollers
                Duration.ofHours(24),
                Duration.ofMinutes(1),
                5000,
                2);
    }

    /**
     * {@code count} relays drain the backlog on their own threads (start(), as the pollers run them: back to back while
     * claims come back full, up to {@code roundsInFlight} rounds at once), until their in-memory counters of published
     * events reach the backlog: no query polls the table meanwhile.
     */
    private DrainRate relays(int count, int perOrder, int roundsInFlight) throws Exception {
        seed(TABLE, perOrder);
        jdbc.sql("ANALYZE " + TABLE).update();
        RelayProperties properties = relayProperties().withRoundsInFlight(roundsInFlight);
        OutboxRepository repository = new OutboxRepository(jdbc, TABLE);
        List<OutboxRelay> relays = new ArrayList<>();
        List<SimpleMeterRegistry> registries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            registries.add(registry);
            relays.add(new OutboxRelay(
                    properties,
                    repository,
                    new DefaultKafkaProducerFactory<>(producerConfig()),
                    new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                    new RelayMetrics(registry, properties, repository),
                    BatchObserver.NONE,
                    EventTracing.NOOP));
        }
        Stopwatch start = Stopwatch.start();
        relays.forEach(OutboxRelay::start);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (published(registries) < events) {
            if (System.nanoTime() > deadline) {
                relays.forEach(OutboxRelay::stop);
                throw new IllegalStateException("%d relay(s) published %.0f of %d events within 10 minutes"
                        .formatted(count, published(registries), events));
            }
            Thread.sleep(5);
        }
        DrainRate rate = report(
                "%d relay(s), batch %d, %d round(s) in flight, %d event(s)/order"
                        .formatted(count, BATCH, roundsInFlight, perOrder),
                start);
        relays.forEach(OutboxRelay::stop);
        if (repository.backlog() != 0) {
            throw new IllegalStateException("relays stopped with a backlog of " + repository.backlog());
        }
        return rate;
    }

    private static double published(List<SimpleMeterRegistry> registries) {
        return registries.stream()
                .flatMap(registry -> registry.find("relay.published").counters().stream())
                .mapToDouble(Counter::count)
                .sum();
    }

    /** A second connector, like debezium/register-postgres.json but on the fixture table and topic. */
    private DrainRate debezium() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode definition = (ObjectNode) json.readTree(
                settings.home().resolve("debezium/register-postgres.json").toFile());
        definition.put("name", "bench-connector");
        ObjectNode config = (ObjectNode) definition.get("config");
        // A prefix of its own: two connectors with one prefix collide on their JMX names, and the second waits a
        // minute.
        config.put("topic.prefix", "bench");
        config.put("slot.name", "bench_slot");
        config.put("publication.name", "bench_publication");
        config.put("table.include.list", "public." + CDC_TABLE);
        config.remove("heartbeat.action.query");
        config.put("transforms", "outbox");
        config.put("predicates", "isOutboxTable");
        config.put("predicates.isOutboxTable.pattern", "bench\\.public\\." + CDC_TABLE);
        config.put("transforms.outbox.route.topic.replacement", CDC_TOPIC);
        Path file = settings.runDir().resolve("bench/bench-connector.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json.writeValueAsString(definition));
        DebeziumConnector connector = new DebeziumConnector(settings.connectorTarget(), file);
        connector.delete();
        connector.register();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        settings.bootstrapServers(),
                        "group.id",
                        "bench-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "latest",
                        "max.poll.records",
                        "5000"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(CDC_TOPIC));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            consumer.seekToEnd(consumer.assignment());
            consumer.assignment().forEach(consumer::position);
            // Timed from the moment the rows are committed, as the relays are timed from a committed backlog: Debezium
            // can read nothing of a transaction before its commit.
            seed(CDC_TABLE, 1);
            Stopwatch start = Stopwatch.start();
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (seen < events && System.nanoTime() < deadline) {
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
            if (seen < events) {
                throw new IllegalStateException("Debezium delivered " + seen + " of " + events + " within 10 minutes");
            }
            return report("Debezium (commit → all on the topic)", start);
        } finally {
            connector.delete();
        }
    }

    private Map<String, Object> producerConfig() {
        return Map.of(
                "bootstrap.servers",
                settings.bootstrapServers(),
                "acks",
                "all",
                "enable.idempotence",
                true,
                "linger.ms",
                5,
                "batch.size",
                65536,
                "key.serializer",
                StringSerializer.class,
                "value.serializer",
                StringSerializer.class);
    }

    private DrainRate report(String what, Stopwatch start) {
        double seconds = (System.nanoTime() - start.nanos()) / 1e9;
        double busy = WindowCpu.busyPercent(start.machineTicks(), WindowCpu.machineTicks());
        DrainRate rate = new DrainRate(events / seconds, busy);
        System.out.printf(
                "  %-48s %8.0f events/s  (%d in %.2f s, machine %.0f %% busy)%n",
                what, rate.eventsPerSecond(), events, seconds, busy);
        return rate;
    }

    /**
     * A drain's rate, and how busy the machine was while it ran (all cores, from /proc/stat): a relay's drain shares
     * the machine's cores with Kafka's producer and broker, which the raw SQL loop does not use.
     */
    record DrainRate(double eventsPerSecond, double busyPercent) {

        static final DrainRate NONE = new DrainRate(0, Double.NaN);

        /** The faster of two drains of the same backlog. */
        DrainRate better(DrainRate other) {
            return other.eventsPerSecond > eventsPerSecond ? other : this;
        }
    }

    private record Stopwatch(long nanos, long[] machineTicks) {

        static Stopwatch start() {
            return new Stopwatch(System.nanoTime(), WindowCpu.machineTicks());
        }
    }
}
