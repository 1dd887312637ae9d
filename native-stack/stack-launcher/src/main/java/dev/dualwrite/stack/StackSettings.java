package dev.dualwrite.stack;

import dev.dualwrite.debezium.DebeziumConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the native stack lives and which ports it binds. Every value has the default of the design contract and can
 * be overridden by an environment variable of the same name as in the official container images.
 *
 * @param home            the repository root, where the built runtimes and application jars are found
 * @param runDir          the one git-ignored directory holding data, logs and pid files
 * @param externalJdbcUrl a PostgreSQL server to use instead of the embedded one, or {@code null}
 * @param appPortOffset   added to every application's port of the contract (0; tests move them out of the way)
 * @param appProfiles     Spring profiles the applications run with ("" = none; the lab uses "lab")
 * @param zipkinPort      where the Zipkin server listens and every process exports its spans; 0 = tracing off (the
 *                        trace context still travels with the events, nothing is exported)
 * @param sampling        the applications' sampling probability (management.tracing.sampling.probability)
 */
public record StackSettings(
        Path home,
        Path runDir,
        String host,
        int postgresPort,
        String database,
        String username,
        String password,
        String externalJdbcUrl,
        int kafkaPort,
        int kafkaControllerPort,
        int connectPort,
        int appPortOffset,
        String appProfiles,
        int zipkinPort,
        String sampling) {

    public static StackSettings fromEnvironment(Path home, Map<String, String> env) {
        Path runDir = Path.of(env.getOrDefault(
                        "DUALWRITE_RUN_DIR", home.resolve("run").toString()))
                .toAbsolutePath();
        boolean tracingOff = "off".equals(env.get("DUALWRITE_TRACING"));
        return new StackSettings(
                home,
                runDir,
                "127.0.0.1",
                Integer.parseInt(env.getOrDefault("POSTGRES_PORT", "5432")),
                env.getOrDefault("POSTGRES_DB", "dualwrite"),
                env.getOrDefault("SPRING_DATASOURCE_USERNAME", env.getOrDefault("POSTGRES_USER", "dualwrite")),
                env.getOrDefault("SPRING_DATASOURCE_PASSWORD", env.getOrDefault("POSTGRES_PASSWORD", "dualwrite")),
                env.get("SPRING_DATASOURCE_URL"),
                Integer.parseInt(env.getOrDefault("KAFKA_PORT", "9092")),
                Integer.parseInt(env.getOrDefault("KAFKA_CONTROLLER_PORT", "9093")),
                Integer.parseInt(env.getOrDefault("CONNECT_PORT", "8083")),
                0,
                env.getOrDefault("SPRING_PROFILES_ACTIVE", ""),
                tracingOff ? 0 : Integer.parseInt(env.getOrDefault("ZIPKIN_PORT", "9411")),
                // tracing off: nothing recorded either (the context still travels with the events, unsampled)
                env.getOrDefault("TRACING_SAMPLING_PROBABILITY", tracingOff ? "0" : "1.0"));
    }

    /** A private stack for one test JVM: its own run directory and free ports, so it never meets a running stack. */
    public static StackSettings forTests(Path home, Path runDir) {
        return new StackSettings(
                home,
                runDir.toAbsolutePath(),
                "127.0.0.1",
                freePort(),
                "dualwrite",
                "dualwrite",
                "dualwrite",
                null,
                freePort(),
                freePort(),
                freePort(),
                0,
                "",
                freePort(),
                "1.0");
    }

    /** The same stack with the applications on other ports and profiles. */
    public StackSettings withApplications(int portOffset, String profiles) {
        return new StackSettings(
                home,
                runDir,
                host,
                postgresPort,
                database,
                username,
                password,
                externalJdbcUrl,
                kafkaPort,
                kafkaControllerPort,
                connectPort,
                portOffset,
                profiles,
                zipkinPort,
                sampling);
    }

    /** The same stack with tracing off (zipkin port 0), or with another sampling probability. */
    public StackSettings withTracing(boolean on, String samplingProbability) {
        return new StackSettings(
                home,
                runDir,
                host,
                postgresPort,
                database,
                username,
                password,
                externalJdbcUrl,
                kafkaPort,
                kafkaControllerPort,
                connectPort,
                appPortOffset,
                appProfiles,
                on ? zipkinPort : 0,
                samplingProbability);
    }

    public boolean tracing() {
        return zipkinPort > 0;
    }

    public String zipkinUrl() {
        return "http://%s:%d".formatted(host, zipkinPort);
    }

    /** Where Zipkin takes spans (its v2 JSON API), for the applications and Kafka Connect. */
    public String zipkinSpansEndpoint() {
        return zipkinUrl() + "/api/v2/spans";
    }

    public Path zipkinJar() {
        return home.resolve("native-stack/zipkin-runtime/target/zipkin-server.jar");
    }

    /** Finds the repository root by walking up from {@code start} to the directory that holds the native stack. */
    public static Path findHome(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("native-stack/kafka-runtime"))) {
                return dir;
            }
        }
        throw new StackException("cannot find the repository root (a directory with native-stack/) above " + start);
    }

    public boolean usesExternalPostgres() {
        return externalJdbcUrl != null && !externalJdbcUrl.isBlank();
    }

    public String jdbcUrl() {
        return usesExternalPostgres()
                ? externalJdbcUrl
                : "jdbc:postgresql://%s:%d/%s".formatted(host, postgresPort, database);
    }

    public String bootstrapServers() {
        return host + ":" + kafkaPort;
    }

    public String connectUrl() {
        return "http://%s:%d".formatted(host, connectPort);
    }

    public Path logDir() {
        return runDir.resolve("logs");
    }

    /** Where the Debezium connector's parts are, for a worker that reaches the database as this process does. */
    public DebeziumConnector.Target connectorTarget() {
        return connectorTarget(host, postgresPort);
    }

    /** ... for a worker that reaches the database at another address, e.g. {@code postgres:5432} in a container network. */
    public DebeziumConnector.Target connectorTarget(String workerDatabaseHost, int workerDatabasePort) {
        return new DebeziumConnector.Target(
                connectUrl(),
                jdbcUrl(),
                workerDatabaseHost,
                workerDatabasePort,
                database(),
                username(),
                password(),
                logDir().resolve("connect.log").toString());
    }

    public Path pidDir() {
        return runDir.resolve("pids");
    }

    public Path kafkaLibs() {
        return home.resolve("native-stack/kafka-runtime/target/libs");
    }

    public Path connectPluginPath() {
        return home.resolve("native-stack/debezium-plugin/target/plugins");
    }

    /** The environment that points a Spring Boot application at this stack. */
    public Map<String, String> springEnvironment() {
        // Tracing off: the context still travels with the events (so that it can be turned on per application), and
        // nothing is exported.
        return Map.of(
                "SPRING_DATASOURCE_URL",
                jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME",
                username,
                "SPRING_DATASOURCE_PASSWORD",
                password,
                "SPRING_KAFKA_BOOTSTRAP_SERVERS",
                bootstrapServers(),
                "ADMIN_TOKEN",
                adminToken(),
                "MANAGEMENT_TRACING_SAMPLING_PROBABILITY",
                sampling,
                "MANAGEMENT_TRACING_EXPORT_ENABLED",
                Boolean.toString(tracing()),
                "MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENDPOINT",
                tracing() ? zipkinSpansEndpoint() : "http://127.0.0.1:9411/api/v2/spans",
                // Boot's 1 s: a JVM fresh from its start, on two busy cores, missed it and dropped its first spans
                "MANAGEMENT_TRACING_EXPORT_ZIPKIN_CONNECT_TIMEOUT",
                "5s");
    }

    /**
     * What the console is told beside {@link #springEnvironment()}: where the applications and Connect answer, and, for
     * its faults (lab profile), this stack's own settings, which {@link #ofConsole} reads back.
     */
    public Map<String, String> consoleEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("CONSOLE_APPLICATION_HOST", host);
        environment.put("CONSOLE_APPLICATION_PORT_OFFSET", Integer.toString(appPortOffset));
        environment.put("CONSOLE_CONNECT_URL", connectUrl());
        environment.put("DUALWRITE_HOME", home.toString());
        environment.put("DUALWRITE_RUN_DIR", runDir.toString());
        environment.put("DUALWRITE_POSTGRES_PORT", Integer.toString(postgresPort));
        environment.put("DUALWRITE_KAFKA_PORT", Integer.toString(kafkaPort));
        environment.put("DUALWRITE_KAFKA_CONTROLLER_PORT", Integer.toString(kafkaControllerPort));
        environment.put("DUALWRITE_CONNECT_PORT", Integer.toString(connectPort));
        environment.put("DUALWRITE_ZIPKIN_PORT", Integer.toString(zipkinPort));
        environment.put("DUALWRITE_SAMPLING", sampling);
        if (usesExternalPostgres()) {
            environment.put("DUALWRITE_EXTERNAL_JDBC_URL", externalJdbcUrl);
        }
        return environment;
    }

    /** The settings of the stack that started the console, from its {@link #consoleEnvironment()}. */
    public static StackSettings ofConsole(Map<String, String> env) {
        if (env.get("DUALWRITE_HOME") == null) {
            throw new StackException("the console's lab profile works on the native stack that starts it: run"
                    + " ./start_all_services.sh --lab (a console started otherwise has no stack to break)");
        }
        return new StackSettings(
                Path.of(env.get("DUALWRITE_HOME")),
                Path.of(env.get("DUALWRITE_RUN_DIR")),
                env.getOrDefault("CONSOLE_APPLICATION_HOST", "127.0.0.1"),
                Integer.parseInt(env.get("DUALWRITE_POSTGRES_PORT")),
                env.getOrDefault("POSTGRES_DB", "dualwrite"),
                env.getOrDefault("SPRING_DATASOURCE_USERNAME", "dualwrite"),
                env.getOrDefault("SPRING_DATASOURCE_PASSWORD", "dualwrite"),
                env.get("DUALWRITE_EXTERNAL_JDBC_URL"),
                Integer.parseInt(env.get("DUALWRITE_KAFKA_PORT")),
                Integer.parseInt(env.get("DUALWRITE_KAFKA_CONTROLLER_PORT")),
                Integer.parseInt(env.get("DUALWRITE_CONNECT_PORT")),
                Integer.parseInt(env.getOrDefault("CONSOLE_APPLICATION_PORT_OFFSET", "0")),
                env.getOrDefault("SPRING_PROFILES_ACTIVE", ""),
                Integer.parseInt(env.get("DUALWRITE_ZIPKIN_PORT")),
                env.get("DUALWRITE_SAMPLING"));
    }

    /**
     * The operator's token of the applications this stack starts (admin-access): {@code ADMIN_TOKEN} if set, else one
     * made at the first start and kept, readable by its owner only, in {@code <run dir>/admin-token}.
     */
    public String adminToken() {
        String fromEnvironment = System.getenv("ADMIN_TOKEN");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        Path file = adminTokenFile();
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(runDir);
                byte[] random = new byte[24];
                new SecureRandom().nextBytes(random);
                // created readable by its owner only, before the token is in it
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, HexFormat.of().formatHex(random));
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path adminTokenFile() {
        return runDir.resolve("admin-token");
    }

    /**
     * A free port below Linux's ephemeral range (32768 and up), where no client connection's local end can take it
     * while a server the lab killed is on its way back; above the ports the lab's applications use (under 24200).
     */
    static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(25000, 32700);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new UncheckedIOException(new IOException("no free port between 25000 and 32700"));
    }
}
