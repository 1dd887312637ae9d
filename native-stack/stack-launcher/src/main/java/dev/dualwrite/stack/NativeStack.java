package dev.dualwrite.stack;

import dev.dualwrite.debezium.DebeziumConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The whole native stack: PostgreSQL, a Kafka broker, Kafka Connect with Debezium, and our applications, each its own
 * process with a pid file and a log file under the run directory. Starting is idempotent: what already runs is left
 * alone. Used by {@code start_all_services.sh} through {@link StackCommand} and by the tests directly.
 */
public final class NativeStack {

    private final StackSettings settings;
    private final PostgresServer postgres;
    private final KafkaBroker kafka;
    private final ConnectWorker connect;
    private final ZipkinServer zipkin;

    public NativeStack(StackSettings settings) {
        this.settings = settings;
        this.postgres = new PostgresServer(settings);
        this.kafka = new KafkaBroker(settings);
        this.connect = new ConnectWorker(settings);
        this.zipkin = new ZipkinServer(settings);
    }

    public StackSettings settings() {
        return settings;
    }

    public void startPostgres(Consumer<String> out) {
        report(out, "postgres", postgres.start(), settings.jdbcUrl(), postgres.process());
    }

    public void startKafka(Consumer<String> out) {
        report(out, "kafka", kafka.start(), settings.bootstrapServers(), kafka.process());
    }

    public void startConnect(Consumer<String> out) {
        report(out, "connect", connect.start(), settings.connectUrl(), connect.process());
    }

    /** The trace store, where every process exports its spans; only when tracing is on (a zipkin port). */
    public void startZipkin(Consumer<String> out) {
        if (settings.tracing()) {
            report(out, "zipkin", zipkin.start(), settings.zipkinUrl(), zipkin.process());
        }
    }

    public void startInfrastructure(Consumer<String> out) {
        startZipkin(out);
        startPostgres(out);
        startKafka(out);
        startConnect(out);
    }

    /**
     * Registers the Debezium connector of {@code debezium/register-postgres.json} once the schema it captures exists
     * (the applications' Flyway migrations create it); idempotent.
     */
    public void registerConnector(Consumer<String> out) {
        DebeziumConnector connector = connector();
        if (!tableExists("cdc_outbox")) {
            out.accept("%-34s not registered: table cdc_outbox does not exist yet (start order-service-log-tailing)"
                    .formatted(connector.name()));
            return;
        }
        out.accept("%-34s %-16s slot %-13s status: curl -s %s/connectors/%s/status"
                .formatted(
                        connector.name(),
                        connector.register(),
                        connector.slot(),
                        settings.connectUrl(),
                        connector.name()));
    }

    /** What a build must make before the stack can run: the runtimes, and the jar of every instance of the suite. */
    public List<Path> missingArtifacts() {
        List<Path> needed = new ArrayList<>(List.of(
                settings.kafkaLibs(),
                settings.zipkinJar(),
                settings.connectPluginPath(),
                settings.home().resolve("lab-hooks/target/lab-hooks.jar"),
                settings.home().resolve("consistency-lab/target/consistency-lab.jar")));
        Suite.EVERY_INSTANCE.stream()
                .map(application -> application.jar(settings))
                .distinct()
                .forEach(needed::add);
        return needed.stream().filter(path -> !Files.exists(path)).toList();
    }

    public DebeziumConnector connector() {
        return new DebeziumConnector(settings.connectorTarget(), settings.home().resolve(DebeziumConnector.DEFINITION));
    }

    private boolean tableExists(String table) {
        try (Connection connection =
                        DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password());
                ResultSet rows = connection.getMetaData().getTables(null, "public", table, null)) {
            return rows.next();
        } catch (SQLException e) {
            throw new StackException(
                    "cannot read the schema at %s: %s".formatted(settings.jdbcUrl(), e.getMessage()), e);
        }
    }

    /**
     * Launches every built application that is not running yet and waits until each is healthy, a few at a time: a
     * dozen JVMs started at once on two cores took over two minutes each to come up (CI timed one out), while a small
     * window keeps the cores busy and each start short.
     */
    public void startApplications(List<Application> applications, Consumer<String> out) {
        int window = Math.max(2, Runtime.getRuntime().availableProcessors() + 1);
        Deque<Map.Entry<Application, ProcessHandle>> starting = new ArrayDeque<>();
        for (Application application : applications) {
            if (!application.built(settings)) {
                out.accept("%-34s not built (%s missing)".formatted(application.name(), application.jar(settings)));
            } else if (application.process(settings).running().isPresent()) {
                report(
                        out,
                        application.name(),
                        "already running",
                        application.url(settings),
                        application.process(settings));
            } else {
                if (starting.size() == window) {
                    awaitStarted(starting.removeFirst(), out);
                }
                starting.addLast(Map.entry(application, application.launch(settings)));
            }
        }
        while (!starting.isEmpty()) {
            awaitStarted(starting.removeFirst(), out);
        }
    }

    private void awaitStarted(Map.Entry<Application, ProcessHandle> launched, Consumer<String> out) {
        Application application = launched.getKey();
        application.awaitHealthy(settings, launched.getValue());
        report(out, application.name(), "started", application.url(settings), application.process(settings));
    }

    /** Stops, in reverse order of start, exactly the processes this stack started (by pid file). */
    public void stop(List<Application> applications, Consumer<String> out) {
        stopApplications(applications, out);
        stopConnect(out);
        stopKafka(out);
        if (postgres.stop()) {
            out.accept("%-34s stopped".formatted("postgres"));
        }
        if (zipkin.stop()) {
            out.accept("%-34s stopped".formatted("zipkin"));
        }
    }

    public void stopApplications(List<Application> applications, Consumer<String> out) {
        List<Application> reversed = new ArrayList<>(applications);
        Collections.reverse(reversed);
        for (Application application : reversed) {
            if (application.process(settings).stop(Duration.ofSeconds(30))) {
                out.accept("%-34s stopped".formatted(application.name()));
            }
        }
    }

    public void stopConnect(Consumer<String> out) {
        if (connect.stop()) {
            out.accept("%-34s stopped".formatted("connect"));
        }
    }

    public void stopKafka(Consumer<String> out) {
        if (kafka.stop()) {
            out.accept("%-34s stopped".formatted("kafka"));
        }
    }

    /** Whether a component (postgres, kafka, connect or an application instance) runs now, by its pid file. */
    public boolean isRunning(String component) {
        return process(component).running().isPresent();
    }

    /** The running process of a component (postgres, kafka, connect or an application instance), by its pid file. */
    public Optional<ProcessHandle> running(String component) {
        return process(component).running();
    }

    /** PostgreSQL stopped as a crash would leave it (immediate shutdown, recovery from the WAL on the next start). */
    public void crashPostgres() {
        postgres.crash();
    }

    private ManagedProcess process(String component) {
        return switch (component) {
            case "postgres" -> postgres.process();
            case "kafka" -> kafka.process();
            case "connect" -> connect.process();
            case "zipkin" -> zipkin.process();
            default -> new ManagedProcess(settings, component);
        };
    }

    /**
     * Kills one of our processes the hard way (SIGKILL), as a crash would: no shutdown hooks, no clean close.
     * Returns the pid that was killed, or -1 if the component was not running.
     */
    public long kill(String component) {
        return process(component)
                .running()
                .map(handle -> {
                    handle.destroyForcibly();
                    handle.onExit().join();
                    return handle.pid();
                })
                .orElse(-1L);
    }

    /**
     * Ends everything at once, without grace — for a stack whose data is thrown away (tests): kill -9 of the
     * applications, Connect and Kafka, an immediate shutdown of PostgreSQL. Quick enough for a JVM shutdown hook.
     */
    public void discard(List<Application> applications) {
        applications.forEach(application -> kill(application.name()));
        kill("connect");
        kill("kafka");
        kill("zipkin");
        if (isRunning("postgres")) {
            postgres.crash();
        }
    }

    /** Deletes data, logs and pid files; only while nothing of ours runs. */
    public void purge() {
        try {
            PostgresServer.deleteRecursively(settings.runDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> status(List<Application> applications) {
        List<String> lines = new ArrayList<>();
        lines.add(statusLine("postgres", settings.jdbcUrl(), postgres.process()));
        lines.add(statusLine("kafka", settings.bootstrapServers(), kafka.process()));
        lines.add(statusLine("connect", settings.connectUrl(), connect.process()));
        lines.add(statusLine("zipkin", settings.zipkinUrl(), zipkin.process()));
        for (Application application : applications) {
            lines.add(statusLine(application.name(), application.url(settings), application.process(settings)));
        }
        return lines;
    }

    private static String statusLine(String name, String address, ManagedProcess process) {
        return process.running()
                .map(handle -> "%-34s pid %-7d %5d MB  %-45s log: %s"
                        .formatted(name, handle.pid(), ResidentMemory.megabytes(handle), address, process.logFile()))
                .orElse("%-34s stopped".formatted(name));
    }

    private static void report(Consumer<String> out, String name, String what, String address, ManagedProcess process) {
        String pid = process.running().map(handle -> "pid " + handle.pid()).orElse("");
        out.accept("%-34s %-16s %-9s %-45s log: %s".formatted(name, what, pid, address, process.logFile()));
    }
}
