package dev.dualwrite.testsupport;

import dev.dualwrite.debezium.DebeziumConnector;
import dev.dualwrite.stack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.yaml.snakeyaml.Yaml;

/**
 * The infrastructure of {@link TestStack} as containers, for machines with a Docker engine: PostgreSQL with
 * wal_level=logical, a KRaft Kafka broker and a Debezium Connect worker on one network, from the very images
 * docker-compose.yml names (read from it, so the two cannot drift apart). Started on first use, once per test JVM;
 * Testcontainers removes them when the JVM ends. Test classes using it carry
 * {@code @Testcontainers(disabledWithoutDocker = true)}: without Docker they are skipped, with that reason.
 */
public final class ContainerStack {

    private static final String KAFKA_ALIAS = "kafka";
    private static final String POSTGRES_ALIAS = "postgres";
    private static ContainerStack started;

    private final Network network = Network.newNetwork();
    private final PostgreSQLContainer postgres;
    private final KafkaContainer kafka;
    private final Map<String, String> images;
    private GenericContainer<?> connect;

    private ContainerStack(Map<String, String> images) {
        this.images = images;
        postgres = new PostgreSQLContainer(images.get("postgres"))
                .withDatabaseName("dualwrite")
                .withUsername("dualwrite")
                .withPassword("dualwrite")
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=10")
                .withNetwork(network)
                .withNetworkAliases(POSTGRES_ALIAS);
        kafka = new KafkaContainer(images.get("kafka"))
                .withListener(KAFKA_ALIAS + ":19092")
                .withEnv("KAFKA_NUM_PARTITIONS", "3")
                .withNetwork(network)
                .withNetworkAliases(KAFKA_ALIAS);
    }

    /** PostgreSQL and Kafka. */
    public static synchronized ContainerStack postgresAndKafka() {
        if (started == null) {
            ContainerStack stack = new ContainerStack(composeImages());
            stack.postgres.start();
            stack.kafka.start();
            started = stack;
        }
        return started;
    }

    /** PostgreSQL, Kafka and a Kafka Connect worker of the Debezium image. */
    public static synchronized ContainerStack withConnect() {
        ContainerStack stack = postgresAndKafka();
        if (stack.connect == null) {
            GenericContainer<?> connect = new GenericContainer<>(stack.images.get("connect"))
                    .withEnv("BOOTSTRAP_SERVERS", KAFKA_ALIAS + ":19092")
                    .withEnv("GROUP_ID", "dualwrite-connect")
                    .withEnv("CONFIG_STORAGE_TOPIC", "connect-configs")
                    .withEnv("OFFSET_STORAGE_TOPIC", "connect-offsets")
                    .withEnv("STATUS_STORAGE_TOPIC", "connect-status")
                    // as docker-compose.yml: the worker's producer settings, no connector overrides
                    .withEnv("CONNECT_CONNECTOR_CLIENT_CONFIG_OVERRIDE_POLICY", "None")
                    .withEnv("CONNECT_PRODUCER_ACKS", "all")
                    .withEnv("CONNECT_PRODUCER_ENABLE_IDEMPOTENCE", "true")
                    .withEnv("CONNECT_PRODUCER_LINGER_MS", "1")
                    .withEnv("CONNECT_SCHEDULED_REBALANCE_MAX_DELAY_MS", "0")
                    .withExposedPorts(8083)
                    .waitingFor(Wait.forHttp("/connectors").forPort(8083).withStartupTimeout(Duration.ofMinutes(3)))
                    .withNetwork(stack.network);
            connect.start();
            stack.connect = connect;
        }
        return stack;
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl();
    }

    public String username() {
        return postgres.getUsername();
    }

    public String password() {
        return postgres.getPassword();
    }

    public String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    /**
     * The containers' addresses as seen from this JVM (mapped ports), in the launcher's terms: what
     * {@link DebeziumConnector} needs to talk to the worker and the database.
     */
    public StackSettings settings() {
        Path home = StackSettings.findHome(Path.of("").toAbsolutePath());
        return new StackSettings(
                home,
                Path.of("target", "container-stack").toAbsolutePath(),
                postgres.getHost(),
                postgres.getMappedPort(5432),
                postgres.getDatabaseName(),
                username(),
                password(),
                jdbcUrl(),
                kafka.getMappedPort(9092),
                0,
                connect == null ? 0 : connect.getMappedPort(8083),
                0,
                "",
                0,
                "1.0");
    }

    /**
     * Registers debezium/register-postgres.json as docker-compose.yml's one-shot does — the same file, with the
     * database address the Connect container sees — and waits until it runs. The schema must exist: start an
     * application (it migrates) first.
     */
    public void registerConnector() {
        StackSettings settings = settings();
        new DebeziumConnector(
                        settings.connectorTarget(POSTGRES_ALIAS, 5432),
                        settings.home().resolve(DebeziumConnector.DEFINITION))
                .register();
    }

    /** Service name → image, from docker-compose.yml at the repository root. */
    @SuppressWarnings("unchecked")
    static Map<String, String> composeImages() {
        try {
            Path compose = StackSettings.findHome(Path.of("").toAbsolutePath()).resolve("docker-compose.yml");
            Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) new Yaml()
                    .<Map<String, Object>>load(Files.readString(compose))
                    .get("services");
            return Map.of(
                    "postgres",
                    (String) services.get("postgres").get("image"),
                    "kafka",
                    (String) services.get("kafka").get("image"),
                    "connect",
                    (String) services.get("connect").get("image"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
