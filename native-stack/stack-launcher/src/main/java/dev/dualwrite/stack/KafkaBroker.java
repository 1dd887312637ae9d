package dev.dualwrite.stack;

import dev.dualwrite.events.Pattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A single Apache Kafka node in KRaft mode (broker and controller in one JVM), from the Maven Central jars that
 * {@code native-stack/kafka-runtime} assembles. Its storage is formatted once; the contract's topics are created with
 * three partitions each time it starts, when they are missing.
 */
final class KafkaBroker {

    static final int PARTITIONS = 3;
    private static final String DEFAULT_JVM_OPTIONS = "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError";

    private final StackSettings settings;
    private final Path dir;
    private final ManagedProcess process;

    KafkaBroker(StackSettings settings) {
        this.settings = settings;
        this.dir = settings.runDir().resolve("kafka");
        this.process = new ManagedProcess(settings, "kafka");
    }

    ManagedProcess process() {
        return process;
    }

    String start() {
        if (process.running().isPresent()) {
            return "already running";
        }
        ManagedProcess.requirePortFree("kafka", settings.host(), settings.kafkaPort());
        ManagedProcess.requirePortFree("kafka controller", settings.host(), settings.kafkaControllerPort());
        Path properties = writeConfiguration();
        if (!Files.exists(dir.resolve("data/meta.properties"))) {
            format(properties);
        }
        ProcessHandle started = process.start(
                JavaCommand.classpath(
                        jvmOptions(), process.marker(), settings.kafkaLibs(), "kafka.Kafka", properties.toString()),
                Map.of(),
                dir);
        process.awaitHealthy(started, Duration.ofSeconds(60), this::answers);
        createContractTopics();
        return "started";
    }

    boolean stop() {
        return process.stop(Duration.ofSeconds(30));
    }

    private String jvmOptions() {
        return System.getenv().getOrDefault("KAFKA_JVM_OPTS", DEFAULT_JVM_OPTIONS) + " -Dlog4j2.configurationFile="
                + Log4jConfiguration.write(dir);
    }

    private Path writeConfiguration() {
        String host = settings.host();
        String properties = """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@%1$s:%3$d
                listeners=PLAINTEXT://%1$s:%2$d,CONTROLLER://%1$s:%3$d
                advertised.listeners=PLAINTEXT://%1$s:%2$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%4$s
                num.partitions=%5$d
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(
                        host, settings.kafkaPort(), settings.kafkaControllerPort(), dir.resolve("data"), PARTITIONS);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("server.properties");
            Files.writeString(file, properties);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void format(Path properties) {
        List<String> command = JavaCommand.classpath(
                "-Xmx256m",
                process.marker(),
                settings.kafkaLibs(),
                "kafka.tools.StorageTool",
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                properties.toString());
        try {
            Process formatting = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(
                            ProcessBuilder.Redirect.appendTo(process.logFile().toFile()))
                    .start();
            if (!formatting.waitFor(60, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
                throw new StackException("formatting the Kafka storage failed; read " + process.logFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    private boolean answers() {
        if (!ManagedProcess.portOpen(settings.host(), settings.kafkaPort())) {
            return false;
        }
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private void createContractTopics() {
        try (Admin admin = admin()) {
            for (String topic : Pattern.allTopics()) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new StackException(
                                "could not create topic " + topic + ": "
                                        + e.getCause().getMessage(),
                                e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        } catch (TimeoutException e) {
            throw new StackException("creating the topics timed out; read " + process.logFile(), e);
        }
    }

    private Admin admin() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(properties);
    }
}
