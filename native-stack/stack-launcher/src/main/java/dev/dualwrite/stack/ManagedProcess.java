package dev.dualwrite.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One process of the stack, known by its pid file and log file. A pid counts as ours only while that process's
 * command line still carries our marker, so a recycled pid is never stopped by mistake.
 */
final class ManagedProcess {

    private final String name;
    private final Path pidFile;
    private final Path logFile;
    private final String marker;

    ManagedProcess(StackSettings settings, String name) {
        this(
                name,
                settings.pidDir().resolve(name + ".pid"),
                settings.logDir().resolve(name + ".log"),
                "-Ddualwrite.component=" + name + "@" + settings.runDir());
    }

    ManagedProcess(String name, Path pidFile, Path logFile, String marker) {
        this.name = name;
        this.pidFile = pidFile;
        this.logFile = logFile;
        this.marker = marker;
    }

    String name() {
        return name;
    }

    Path logFile() {
        return logFile;
    }

    /** The system property that marks a JVM as this component; put it on the java command line. */
    String marker() {
        return marker;
    }

    Optional<ProcessHandle> running() {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            String firstLine =
                    Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            long pid = Long.parseLong(firstLine);
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info()
                            .commandLine()
                            .map(line -> line.contains(marker))
                            .orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts the command in its own session (so a Ctrl-C on the starting terminal does not reach it), appending its
     * output to the log file, and records its pid.
     */
    ProcessHandle start(List<String> command, Map<String, String> environment, Path workingDir) {
        List<String> detached = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            detached.add("/usr/bin/setsid");
        }
        detached.addAll(command);
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(pidFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(detached)
                    .directory(workingDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            Files.writeString(pidFile, process.pid() + System.lineSeparator());
            return process.toHandle();
        } catch (IOException e) {
            throw new StackException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Asks the process to stop (SIGTERM), and kills it if it is still there after the grace period. */
    boolean stop(Duration grace) {
        Optional<ProcessHandle> handle = running();
        handle.ifPresent(process -> {
            process.destroy();
            try {
                process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception notStoppedInTime) {
                process.destroyForcibly();
                process.onExit().join();
            }
        });
        if (handle.isPresent()) {
            deletePidFileOf(handle.get().pid());
        } else {
            deletePidFile();
        }
        return handle.isPresent();
    }

    /**
     * Deletes the pid file only while it still names {@code pid}: a supervisor may have started the next process
     * (and written its pid) while this one was shutting down; deleting that would orphan the new process.
     */
    private void deletePidFileOf(long pid) {
        try {
            String recorded = Files.isRegularFile(pidFile)
                    ? Files.readAllLines(pidFile).stream()
                            .findFirst()
                            .orElse("")
                            .trim()
                    : "";
            if (recorded.equals(Long.toString(pid))) {
                Files.deleteIfExists(pidFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the check passes; fails naming the log file if the started process dies or time runs out.
     * Liveness is judged by the handle, not the pid file: until the new process has exec'ed java, its command line
     * does not carry the marker yet.
     */
    void awaitHealthy(ProcessHandle started, Duration timeout, BooleanSupplier check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.getAsBoolean()) {
                return;
            }
            if (!started.isAlive()) {
                throw new StackException("%s exited during start-up; read %s".formatted(name, logFile));
            }
            pause(Duration.ofMillis(250));
        }
        throw new StackException(
                "%s was not healthy within %d s; read %s".formatted(name, timeout.toSeconds(), logFile));
    }

    static void requirePortFree(String component, String host, int port) {
        if (portOpen(host, port)) {
            throw new StackException("port %d (%s) is already taken by another process; stop it or choose another port"
                    .formatted(port, component));
        }
    }

    static boolean portOpen(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }
}
