package dev.dualwrite.logtailing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.debezium.DebeziumConnector;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.testsupport.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checked-in connector definitions against a real Kafka Connect worker with Debezium. */
class ConnectorLifecycleIT {

    /** The operations the log-tailing connector's publication sends, e.g. "insert,update". */
    private static final String PUBLISHED_OPERATIONS = """
            SELECT concat_ws(',', CASE WHEN pubinsert THEN 'insert' END, CASE WHEN pubupdate THEN 'update' END,
                    CASE WHEN pubdelete THEN 'delete' END, CASE WHEN pubtruncate THEN 'truncate' END)
            FROM pg_publication WHERE pubname = 'dualwrite_outbox'
            """;

    private static NativeStack stack;
    private static StackSettings settings;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void schemaMigrated() {
        stack = TestStack.withConnect();
        settings = stack.settings();
        Flyway.configure()
                .dataSource(settings.jdbcUrl(), settings.username(), settings.password())
                .load()
                .migrate();
    }

    /** From no connector, as a user's first registration: the module's other tests register it as they run. */
    @BeforeEach
    void noConnectorYet() throws Exception {
        stack.connector().delete();
    }

    @Test
    void theCheckedInJsonRegistersWithTheSeedsCurlPostAndRuns() throws Exception {
        // The file as the seed posts it, only pointed at this test's PostgreSQL port.
        String definition = Files.readString(settings.home().resolve("debezium/register-postgres.json"))
                .replace("\"database.port\": \"5432\"", "\"database.port\": \"" + settings.postgresPort() + "\"");

        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create(settings.connectUrl() + "/connectors"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(definition))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(created.statusCode()).isEqualTo(201);
        DebeziumConnector connector = stack.connector();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> connector.status().contains("\"tasks\":[{\"id\":0,\"state\":\"RUNNING\""));
        assertThat(query("SELECT slot_name FROM pg_replication_slots")).contains("dualwrite_outbox");
        assertThat(query("SELECT tablename FROM pg_publication_tables WHERE pubname = 'dualwrite_outbox'"))
                .containsExactlyInAnyOrder("cdc_outbox", "debezium_heartbeat");
        assertThat(query(PUBLISHED_OPERATIONS))
                .as("each row's in-transaction delete is dropped while decoding, not sent to Connect")
                .containsExactly("insert,update");

        assertThat(connector.register()).as("registering again only updates").isEqualTo("updated");

        assertThat(connector.delete()).contains("deleted");
        assertThat(query("SELECT slot_name FROM pg_replication_slots")).doesNotContain("dualwrite_outbox");
        assertThat(query("SELECT pubname FROM pg_publication")).doesNotContain("dualwrite_outbox");
        assertThat(connector.status()).contains("404");

        assertThat(connector.register())
                .as("the name can be registered again, from a fresh slot")
                .isEqualTo("registered");
        connector.delete();
    }

    @Test
    void aPublicationCreatedBeforeDeletesWereSkippedStopsPublishingThemOnMigration() throws Exception {
        // As Debezium created it before skipped.operations=d,t: every operation published.
        execute("CREATE PUBLICATION dualwrite_outbox FOR TABLE cdc_outbox, debezium_heartbeat");
        try {
            assertThat(query(PUBLISHED_OPERATIONS)).containsExactly("insert,update,delete,truncate");

            execute(
                    Files.readString(
                            settings.home()
                                    .resolve(
                                            "database-schema/src/main/resources/db/migration/V9__cdc_publication_without_deletes.sql")));

            assertThat(query(PUBLISHED_OPERATIONS)).containsExactly("insert,update");
        } finally {
            execute("DROP PUBLICATION IF EXISTS dualwrite_outbox");
        }
    }

    @Test
    void theTableCdcConnectorCapturesTheOrdersTableDirectly() throws Exception {
        DebeziumConnector tableCdc = new DebeziumConnector(
                settings.connectorTarget(), settings.home().resolve("debezium/register-orders-table.json"));
        try {
            assertThat(tableCdc.register()).isEqualTo("registered");
            assertThat(query("SELECT tablename FROM pg_publication_tables WHERE pubname = 'dualwrite_orders_table'"))
                    .containsExactly("orders");
            UUID id = UUID.randomUUID();
            execute("""
                    INSERT INTO orders (id, pattern, customer_id, status, currency, total_amount, version, created_at, updated_at)
                    VALUES ('%s', 'TRANSACTIONAL_OUTBOX', 'c-table', 'PENDING', 'EUR', 12.34, 1, now(), now())
                    """.formatted(id));

            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                    Map.of(
                            "bootstrap.servers",
                            settings.bootstrapServers(),
                            "group.id",
                            "table-cdc-" + id,
                            "auto.offset.reset",
                            "earliest"),
                    new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("cdc-table.public.orders"));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                    return values.stream().anyMatch(value -> value.contains(id.toString()));
                });
            }
            assertThat(values)
                    .filteredOn(value -> value.contains(id.toString()))
                    .singleElement()
                    .satisfies(value -> assertThat(value).contains("\"total_amount\":\"12.34\"", "\"__op\":\"c\""));
        } finally {
            tableCdc.delete();
        }
        assertThat(query("SELECT slot_name FROM pg_replication_slots")).doesNotContain("dualwrite_orders_table");
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection =
                DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password())) {
            connection.createStatement().execute(sql);
        }
    }

    private static List<String> query(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection connection =
                        DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password());
                ResultSet rows = connection.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
