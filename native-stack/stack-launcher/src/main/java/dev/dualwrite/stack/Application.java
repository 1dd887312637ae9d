package dev.dualwrite.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One instance of one of our Spring Boot applications, run from the jar its module builds. The instances of the suite
 * are listed in its manifest, {@link Suite}.
 *
 * @param name   the instance name, used for its pid and log file (two instances of a poller differ by name)
 * @param module the Maven module whose {@code target/<module>.jar} is run
 */
public record Application(String name, String module, int port, Map<String, String> environment) {

    public Application(String name, String module, int port) {
        this(name, module, port, Map.of());
    }

    /** This instance with more environment (the lab's mutants, say). */
    public Application with(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(environment);
        merged.putAll(more);
        return new Application(name, module, port, Map.copyOf(merged));
    }

    /** Small enough that every application stays under 350 MB resident; APP_JAVA_OPTS replaces it. */
    static final String DEFAULT_JVM_OPTIONS =
            "-Xms64m -Xmx256m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=160m";

    public int port(StackSettings settings) {
        return port + settings.appPortOffset();
    }

    public String url(StackSettings settings) {
        return "http://%s:%d".formatted(settings.host(), port(settings));
    }

    Path jar(StackSettings settings) {
        return settings.home().resolve(module).resolve("target").resolve(module + ".jar");
    }

    ManagedProcess process(StackSettings settings) {
        return new ManagedProcess(settings, name);
    }

    /** Launches the instance without waiting; {@link #awaitHealthy} waits. */
    ProcessHandle launch(StackSettings settings) {
        ManagedProcess.requirePortFree(name, settings.host(), port(settings));
        List<String> command = new ArrayList<>();
        command.add(JavaCommand.javaExecutable());
        command.addAll(JavaCommand.split(System.getenv().getOrDefault("APP_JAVA_OPTS", DEFAULT_JVM_OPTIONS)));
        command.add(process(settings).marker());
        if (List.of(settings.appProfiles().split(",")).contains("lab")) {
            // The jar's own launcher, the one that honours loader.path, named explicitly: the jars keep Boot's
            // default launcher, so nothing outside the lab can add to their class path.
            command.add("-Dloader.path=" + labHooks(settings));
            command.add("-cp");
            command.add(jar(settings).toString());
            command.add("org.springframework.boot.loader.launch.PropertiesLauncher");
        } else {
            command.add("-jar");
            command.add(jar(settings).toString());
        }
        Map<String, String> environment = new HashMap<>(settings.springEnvironment());
        environment.put("SERVER_PORT", Integer.toString(port(settings)));
        if (!settings.appProfiles().isBlank()) {
            environment.put("SPRING_PROFILES_ACTIVE", settings.appProfiles());
        }
        environment.put("SERVER_ADDRESS", settings.host());
        if (module.equals(Suite.CONSOLE.module())) {
            environment.putAll(settings.consoleEnvironment());
        }
        environment.putAll(this.environment);
        return process(settings).start(command, environment, settings.home());
    }

    /**
     * The consistency lab's hooks (failpoints, effect log, mutants), put on the class path of an application started
     * under the "lab" profile through Spring Boot's loader.path; no application depends on them. A copy named by its
     * content, so that a rebuild never rewrites a jar a running application reads.
     */
    static Path labHooks(StackSettings settings) {
        Path jar = settings.home().resolve("lab-hooks/target/lab-hooks.jar");
        if (!Files.isRegularFile(jar)) {
            throw new StackException("the lab profile needs " + jar + "; build it with mvn -DskipTests package");
        }
        try {
            byte[] content = Files.readAllBytes(jar);
            String digest = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(content), 0, 6);
            Path copy = settings.runDir().resolve("lab-hooks").resolve("lab-hooks-" + digest + ".jar");
            if (!Files.isRegularFile(copy)) {
                Files.createDirectories(copy.getParent());
                Path partial = Files.createTempFile(copy.getParent(), "lab-hooks", ".part");
                Files.write(partial, content);
                Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
            }
            return copy;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new StackException("cannot copy " + jar + ": " + e.getMessage());
        }
    }

    void awaitHealthy(StackSettings settings, ProcessHandle started) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url(settings) + "/actuator/health"))
                .timeout(Duration.ofSeconds(5))
                .build();
        process(settings).awaitHealthy(started, Duration.ofSeconds(180), () -> {
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 && response.body().contains("\"UP\"");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    boolean built(StackSettings settings) {
        return Files.isRegularFile(jar(settings));
    }
}
