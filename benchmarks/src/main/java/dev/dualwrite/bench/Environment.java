package dev.dualwrite.bench;

import dev.dualwrite.stack.NativeStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.utils.AppInfoParser;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the figures were measured on, read from the running stack rather than restated. */
final class Environment {

    private static final List<String> POSTGRES_SETTINGS = List.of(
            "server_version",
            "fsync",
            "synchronous_commit",
            "wal_level",
            "shared_buffers",
            "max_connections",
            "max_wal_size",
            "checkpoint_timeout");

    private static final List<String> KAFKA_SETTINGS = List.of(
            "num.partitions",
            "default.replication.factor",
            "min.insync.replicas",
            "log.flush.interval.messages",
            "num.network.threads",
            "num.io.threads");

    private Environment() {}

    /** Section → name → value, in the order the report prints them. */
    static Map<String, Map<String, String>> describe(NativeStack stack, JdbcClient jdbc) throws Exception {
        Map<String, Map<String, String>> environment = new LinkedHashMap<>();
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("cpu", cpuModel());
        machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("memory", memory());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        environment.put("machine", machine);

        Map<String, String> postgres = new LinkedHashMap<>();
        for (String setting : POSTGRES_SETTINGS) {
            postgres.put(
                    setting,
                    jdbc.sql("SELECT current_setting('" + setting + "')")
                            .query(String.class)
                            .single());
        }
        environment.put("postgresql", postgres);

        Map<String, String> kafka = new LinkedHashMap<>();
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", stack.settings().bootstrapServers()))) {
            String node = Integer.toString(
                    admin.describeCluster().nodes().get().iterator().next().id());
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node);
            Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
            kafka.put("broker version", brokerVersion(stack));
            admin.describeFeatures()
                    .featureMetadata()
                    .get()
                    .finalizedFeatures()
                    .forEach((feature, range) -> kafka.put(feature + " level", Long.toString(range.maxVersionLevel())));
            kafka.put("client version", AppInfoParser.getVersion());
            for (String setting : KAFKA_SETTINGS) {
                kafka.put(
                        setting,
                        config.get(setting) == null ? "?" : config.get(setting).value());
            }
        }
        environment.put("kafka", kafka);

        Map<String, String> producers = new LinkedHashMap<>();
        for (String component : List.of("outbox-poller-1", "lty-poller-1", "connect", "order-service-naive")) {
            producers.put(component, producerSettings(stack.settings().logDir().resolve(component + ".log")));
        }
        environment.put("producers (as each client logged its configuration)", producers);

        Map<String, String> jvms = new LinkedHashMap<>();
        for (String component : List.of("kafka", "connect", "order-service-outbox", "outbox-poller-1")) {
            stack.running(component).ifPresent(process -> jvms.put(component, jvmFlags(process)));
        }
        environment.put("jvm flags", jvms);

        Map<String, String> tracing = new LinkedHashMap<>();
        tracing.put("zipkin", stack.running("zipkin").isPresent() ? "running" : "not running");
        for (String component : List.of(
                "order-service-outbox",
                "order-service-listen-to-yourself",
                "order-service-log-tailing",
                "outbox-poller-1",
                "lty-poller-1",
                "order-consumer")) {
            stack.running(component)
                    .ifPresent(process ->
                            tracing.put(component, environmentOf(process, "MANAGEMENT_TRACING_SAMPLING_PROBABILITY")));
        }
        environment.put("tracing (sampling probability each application was started with)", tracing);
        return environment;
    }

    private static final List<String> PRODUCER_SETTINGS = List.of(
            "acks",
            "enable.idempotence",
            "linger.ms",
            "batch.size",
            "compression.type",
            "max.in.flight.requests.per.connection",
            "delivery.timeout.ms");

    /** The broker's version, from the kafka-server jar on its classpath. */
    private static String brokerVersion(NativeStack stack) {
        return stack.running("kafka").flatMap(process -> process.info().arguments()).stream()
                .flatMap(Arrays::stream)
                .filter(argument -> argument.endsWith("/*"))
                .flatMap(classpath -> {
                    try (var jars = Files.list(Path.of(classpath.substring(0, classpath.length() - 2)))) {
                        return jars.map(jar -> jar.getFileName().toString()).toList().stream();
                    } catch (IOException e) {
                        return Stream.empty();
                    }
                })
                .map(KAFKA_SERVER_JAR::matcher)
                .filter(Matcher::matches)
                .map(matcher -> matcher.group(1))
                .findFirst()
                .orElse("?");
    }

    private static final Pattern KAFKA_SERVER_JAR = Pattern.compile("kafka-server-(\\d[^-]*)\\.jar");

    /**
     * The settings a Kafka producer logged when it was created ("ProducerConfig values:" and one "name = value" line
     * each), the last such block of the log: what the running client uses, not what a file says it should.
     */
    static String producerSettings(Path log) {
        List<String> lines = lines(log.toString());
        int block = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("ProducerConfig values:")) {
                block = i;
            }
        }
        if (block < 0) {
            return "? (no producer configuration in " + log + ")";
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = block + 1; i < lines.size() && lines.get(i).startsWith("\t"); i++) {
            String[] setting = lines.get(i).trim().split(" = ", 2);
            if (setting.length == 2 && PRODUCER_SETTINGS.contains(setting[0])) {
                values.put(setting[0], setting[1]);
            }
        }
        return PRODUCER_SETTINGS.stream()
                .filter(values::containsKey)
                .map(name -> name + "=" + values.get(name))
                .collect(Collectors.joining(", "));
    }

    private static String jvmFlags(ProcessHandle process) {
        return process.info()
                .arguments()
                .map(arguments -> String.join(
                        " ",
                        Arrays.stream(arguments)
                                .filter(argument -> argument.startsWith("-X"))
                                .toList()))
                .orElse("?");
    }

    /** One variable of a running process's environment, as /proc holds it (the process's, not ours). */
    private static String environmentOf(ProcessHandle process, String name) {
        try {
            String environ = Files.readString(Path.of("/proc", Long.toString(process.pid()), "environ"));
            return Arrays.stream(environ.split("\0"))
                    .filter(variable -> variable.startsWith(name + "="))
                    .map(variable -> variable.substring(name.length() + 1))
                    .findFirst()
                    .orElse("unset (the application's default)");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String cpuModel() {
        return lines("/proc/cpuinfo").stream()
                .filter(line -> line.startsWith("model name"))
                .findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .orElse("?");
    }

    private static String memory() {
        return lines("/proc/meminfo").stream()
                .filter(line -> line.startsWith("MemTotal"))
                .findFirst()
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024 / 1024 + " GB")
                .orElse("?");
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
