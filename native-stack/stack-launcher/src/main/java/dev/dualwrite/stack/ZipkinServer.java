package dev.dualwrite.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trace store of the native stack: Zipkin's server (the {@code io.zipkin:zipkin-server} executable jar from Maven
 * Central, which {@code native-stack/zipkin-runtime} copies) with in-memory storage on the loopback address. Every
 * application and Kafka Connect export their spans to it; its UI and API answer on the same port.
 */
final class ZipkinServer {

    /**
     * In-memory storage keeps the newest spans only (MEM_MAXSPANS): enough for minutes of the suite at full sampling,
     * within the heap.
     */
    private static final String DEFAULT_JVM_OPTIONS = "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError";

    private static final String MAX_SPANS = "100000";

    private final StackSettings settings;
    private final Path dir;
    private final ManagedProcess process;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ZipkinServer(StackSettings settings) {
        this.settings = settings;
        this.dir = settings.runDir().resolve("zipkin");
        this.process = new ManagedProcess(settings, "zipkin");
    }

    ManagedProcess process() {
        return process;
    }

    String start() {
        if (process.running().isPresent()) {
            return "already running";
        }
        if (!Files.isRegularFile(settings.zipkinJar())) {
            throw new StackException(settings.zipkinJar() + " is missing: build first (mvn -DskipTests package)");
        }
        ManagedProcess.requirePortFree("zipkin", settings.host(), settings.zipkinPort());
        List<String> command = new ArrayList<>();
        command.add(JavaCommand.javaExecutable());
        command.addAll(JavaCommand.split(System.getenv().getOrDefault("ZIPKIN_JVM_OPTS", DEFAULT_JVM_OPTIONS)));
        command.add(process.marker());
        command.add("-jar");
        command.add(settings.zipkinJar().toString());
        // Armeria's own port list: the loopback address only, plain HTTP (QUERY_PORT would bind every interface).
        command.add("--armeria.ports[0].ip=" + settings.host());
        command.add("--armeria.ports[0].port=" + settings.zipkinPort());
        command.add("--armeria.ports[0].protocols[0]=http");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StackException("cannot create " + dir + ": " + e.getMessage());
        }
        ProcessHandle started = process.start(
                command,
                Map.of("STORAGE_TYPE", "mem", "MEM_MAXSPANS", MAX_SPANS, "SELF_TRACING_ENABLED", "false"),
                dir);
        process.awaitHealthy(started, Duration.ofSeconds(120), this::healthy);
        return "started";
    }

    boolean stop() {
        return process.stop(Duration.ofSeconds(15));
    }

    private boolean healthy() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(settings.zipkinUrl() + "/health"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("UP");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
