package dev.dualwrite.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A Kafka Connect distributed worker with the Debezium PostgreSQL connector on its plugin path. It keeps its
 * configuration, offsets and status in Kafka topics, so a restarted worker resumes where it stopped.
 */
final class ConnectWorker {

    static final String POSTGRES_CONNECTOR_CLASS = "io.debezium.connector.postgresql.PostgresConnector";
    private static final String DEFAULT_JVM_OPTIONS =
            "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:+ExitOnOutOfMemoryError";

    private final StackSettings settings;
    private final Path dir;
    private final ManagedProcess process;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ConnectWorker(StackSettings settings) {
        this.settings = settings;
        this.dir = settings.runDir().resolve("connect");
        this.process = new ManagedProcess(settings, "connect");
    }

    ManagedProcess process() {
        return process;
    }

    String start() {
        if (process.running().isPresent()) {
            return "already running";
        }
        ManagedProcess.requirePortFree("kafka connect", settings.host(), settings.connectPort());
        if (!Files.isDirectory(settings.connectPluginPath())) {
            throw new StackException(
                    settings.connectPluginPath() + " is missing: build first (mvn -DskipTests package)");
        }
        String options = System.getenv().getOrDefault("CONNECT_JVM_OPTS", DEFAULT_JVM_OPTIONS)
                + " -Dlog4j2.configurationFile=" + Log4jConfiguration.write(dir)
                + tracingOptions();
        ProcessHandle started = process.start(
                JavaCommand.classpath(
                        options,
                        process.marker(),
                        settings.kafkaLibs(),
                        "org.apache.kafka.connect.cli.ConnectDistributed",
                        writeConfiguration().toString()),
                Map.of(),
                dir);
        process.awaitHealthy(started, Duration.ofSeconds(120), this::listsDebezium);
        return "started";
    }

    /**
     * Debezium's EventRouter continues the trace of each outbox row (its tracingspancontext column) with spans of its
     * own and puts the context on the record, through the global OpenTelemetry: the SDK's autoconfiguration (on the
     * plugin path, debezium-plugin) set up by these system properties, exporting to Zipkin. Parent-based sampling:
     * the order service decided. Without tracing the global OpenTelemetry stays a no-op.
     */
    private String tracingOptions() {
        if (!settings.tracing()) {
            return "";
        }
        return " -Dotel.java.global-autoconfigure.enabled=true -Dotel.service.name=kafka-connect"
                + " -Dotel.traces.exporter=zipkin -Dotel.exporter.zipkin.endpoint=" + settings.zipkinSpansEndpoint()
                + " -Dotel.traces.sampler=parentbased_always_on -Dotel.metrics.exporter=none -Dotel.logs.exporter=none"
                + " -Dotel.propagators=tracecontext";
    }

    boolean stop() {
        return process.stop(Duration.ofSeconds(30));
    }

    private boolean listsDebezium() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(settings.connectUrl() + "/connector-plugins"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains(POSTGRES_CONNECTOR_CLASS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Path writeConfiguration() {
        // offset.flush.interval.ms is short so that a killed worker re-sends seconds, not a minute, of changes.
        String properties = """
                bootstrap.servers=%1$s
                group.id=dualwrite-connect
                key.converter=org.apache.kafka.connect.json.JsonConverter
                value.converter=org.apache.kafka.connect.json.JsonConverter
                key.converter.schemas.enable=false
                value.converter.schemas.enable=false
                config.storage.topic=connect-configs
                offset.storage.topic=connect-offsets
                status.storage.topic=connect-status
                config.storage.replication.factor=1
                offset.storage.replication.factor=1
                status.storage.replication.factor=1
                offset.flush.interval.ms=1000
                # One worker: when it rejoins its group as a new member (it leaves when stopping its task outlasts a
                # broker restart), its own connector counts as lost, and the default waits 5 minutes for the old
                # member to come back before assigning it: the connector sat UNASSIGNED, its slot idle (lab-29d70901)
                scheduled.rebalance.max.delay.ms=0
                # The source connector's producer: every record acknowledged by all in-sync replicas, retries never
                # duplicating or reordering; set here for the worker, so that connectors may override nothing
                producer.acks=all
                producer.enable.idempotence=true
                producer.linger.ms=1
                connector.client.config.override.policy=None
                listeners=http://%2$s:%3$d
                rest.advertised.host.name=%2$s
                rest.advertised.port=%3$d
                plugin.path=%4$s
                # Debezium and Kafka's own plugins declare themselves for the ServiceLoader: finding them takes a
                # fraction of a second, where the default also scans every class reflectively (9 s on 2 cores)
                plugin.discovery=service_load
                """.formatted(
                settings.bootstrapServers(), settings.host(), settings.connectPort(), settings.connectPluginPath());
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("connect-distributed.properties");
            Files.writeString(file, properties);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
