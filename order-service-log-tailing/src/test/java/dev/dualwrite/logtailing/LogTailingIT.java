package dev.dualwrite.logtailing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.testsupport.NativeStackTest;
import dev.dualwrite.testsupport.RestProbe;
import dev.dualwrite.testsupport.TestStack;
import dev.dualwrite.testsupport.TopicProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Against a real Kafka Connect worker running Debezium with debezium/register-postgres.json. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@NativeStackTest
class LogTailingIT {

    private static final String TOPIC = Pattern.TRANSACTIONAL_LOG_TAILING.topic();
    private static final String ORDER = """
            {"customerId": "c-cdc", "currency": "EUR", "items": [{"sku": "lamp", "quantity": 3, "unitPrice": 19.99}]}
            """;

    private final JsonMapper json = JsonMapper.builder().build();
    private final NativeStack stack = TestStack.withConnect();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    HealthEndpoint health;

    @BeforeEach
    void connectorRegistered() {
        stack.connector().register();
    }

    @Test
    void createConfirmAndCancelArriveInOrderInTheContractShape() throws Exception {
        String id = create();
        assertThat(post("/api/orders/" + id + "/confirm").statusCode()).isEqualTo(200);
        assertThat(post("/api/orders/" + id + "/cancel").statusCode()).isEqualTo(200);

        List<ConsumerRecord<String, String>> records = read(Set.of(id), 3).get(id);

        assertThat(records)
                .extracting(
                        record -> json.readTree(record.value()).get("version").asInt())
                .containsExactly(1, 2, 3);
        assertThat(records)
                .extracting(record -> TopicProbe.header(record, "eventType"))
                .containsExactly("OrderCreated", "OrderConfirmed", "OrderCancelled");
        ConsumerRecord<String, String> created = records.get(0);
        JsonNode value = json.readTree(created.value());
        assertThat(created.key()).isEqualTo(id);
        assertThat(TopicProbe.header(created, "id"))
                .isEqualTo(value.get("eventId").asString());
        assertThat(value.get("pattern").asString()).isEqualTo("TRANSACTIONAL_LOG_TAILING");
        assertThat(value.get("orderId").asString()).isEqualTo(id);
        assertThat(value.get("occurredAt").asString()).isNotBlank();
        assertThat(value.get("order").get("totalAmount").decimalValue()).isEqualByComparingTo("59.97");
        assertThat(value.get("order").get("items").get(0).get("sku").asString()).isEqualTo("lamp");
        assertThat(created.headers().toArray())
                .extracting(h -> h.key())
                .containsExactlyInAnyOrder(
                        "id",
                        "eventType",
                        "traceparent",
                        "ce_specversion",
                        "ce_id",
                        "ce_type",
                        "ce_source",
                        "ce_subject",
                        "ce_time",
                        "content-type");
        assertThat(TopicProbe.header(created, "ce_specversion")).isEqualTo("1.0");
        assertThat(TopicProbe.header(created, "ce_id")).isEqualTo(TopicProbe.header(created, "id"));
        assertThat(TopicProbe.header(created, "ce_subject")).isEqualTo(id);
        assertThat(jdbc.sql("SELECT count(*) FROM cdc_outbox").query(Long.class).single())
                .as("rows are deleted in the transaction that inserts them; the WAL keeps the insert")
                .isZero();
    }

    @Test
    void aRolledBackTransactionProducesNothing() throws Exception {
        UUID rolledBack = UUID.randomUUID();
        String order = UUID.randomUUID().toString();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO cdc_outbox (id, aggregatetype, aggregateid, type, payload)
                    VALUES (?, 'Order', ?, 'OrderCreated', '{"rolledBack": true}')
                    """)) {
                insert.setObject(1, rolledBack);
                insert.setString(2, order);
                insert.executeUpdate();
            }
            connection.rollback();
        }
        String committed = create();

        Map<String, List<ConsumerRecord<String, String>>> seen = read(Set.of(committed), 1);

        assertThat(seen).doesNotContainKey(order);
        assertThat(seen.values().stream().flatMap(List::stream).map(record -> TopicProbe.header(record, "id")))
                .doesNotContain(rolledBack.toString());
    }

    @Test
    void eventsWrittenWhileTheWorkerIsDeadArriveAfterItsRestart() throws Exception {
        String before = create();
        read(Set.of(before), 1);

        assertThat(stack.kill("connect")).isPositive();
        List<String> whileDown = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            whileDown.add(create());
        }
        stack.startConnect(line -> {});

        Map<String, List<ConsumerRecord<String, String>>> arrived = read(Set.copyOf(whileDown), 1);
        assertThat(arrived.keySet()).containsAll(whileDown);
        assertThat(stack.connector().status()).contains("\"state\":\"RUNNING\"");
    }

    @Test
    void reportsTheWalRetainedByTheSlotAndHeartbeatsWhileTheOutboxIsQuiet() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("SELECT count(*) FROM debezium_heartbeat")
                                .query(Long.class)
                                .single()
                        == 1);

        var slot = (IndicatedHealthDescriptor) health.healthForPath("replicationSlot");
        assertThat(slot.getStatus().getCode()).isEqualTo("UP");
        assertThat(slot.getDetails()).containsEntry("slot", "dualwrite_outbox").containsKey("retainedWalBytes");
    }

    @Test
    void aTransactionLeftOpenHoldsTheSlotsRestartLsnAndTheGaugeAndHealthFollowIt() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ReplicationSlotMonitor monitor = new ReplicationSlotMonitor(
                jdbc, new ReplicationSlotMonitor.CdcProperties("dualwrite_outbox", DataSize.ofMegabytes(8)), meters);
        jdbc.sql("CREATE TABLE IF NOT EXISTS wal_filler (id bigint, filler text)")
                .update();
        try (Connection open = dataSource.getConnection()) {
            open.setAutoCommit(false);
            try (PreparedStatement write = open.prepareStatement("INSERT INTO wal_filler VALUES (0, 'held open')")) {
                write.executeUpdate(); // a transaction id: logical decoding must keep the WAL from here on
            }
            jdbc.sql("INSERT INTO wal_filler SELECT g, repeat(md5(g::text), 16) FROM generate_series(1, 40000) g")
                    .update();
            create(); // the connector keeps confirming what it reads, heartbeats too

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Health health = monitor.health();
                assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
                assertThat((Long) health.getDetails().get("retainedWalBytes"))
                        .isGreaterThan(DataSize.ofMegabytes(8).toBytes())
                        .isGreaterThan((Long) health.getDetails().get("unconfirmedWalBytes"));
                assertThat(meters.get("cdc.slot.retained.wal").gauge().value())
                        .isGreaterThan(DataSize.ofMegabytes(8).toBytes());
            });
            assertThat(monitor.health().getDetails()).containsKeys("walStatus", "safeWalSizeBytes");
            open.rollback();
        } finally {
            jdbc.sql("DROP TABLE wal_filler").update();
        }

        // PostgreSQL moves restart_lsn on at its next running-transactions record (every 15 s), once confirmed.
        await().atMost(Duration.ofSeconds(90))
                .until(() -> monitor.health().getStatus().getCode().equals("UP"));
    }

    private static Map<String, List<ConsumerRecord<String, String>>> read(Set<String> keys, int perKey) {
        return TopicProbe.awaitRecords(TOPIC, keys, perKey);
    }

    private String create() throws Exception {
        HttpResponse<String> response = RestProbe.at(port).post("/api/orders", ORDER);
        assertThat(response.statusCode()).isEqualTo(201);
        return json.readTree(response.body()).get("id").asString();
    }

    private HttpResponse<String> post(String path) {
        return RestProbe.at(port).post(path);
    }
}
