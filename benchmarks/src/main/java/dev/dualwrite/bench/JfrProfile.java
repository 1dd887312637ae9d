package dev.dualwrite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recorder profile of a running JVM of the stack, started and stopped with {@code jcmd} (both built
 * into the JDK), summarised as the methods on top of the most execution samples: where that process's CPU goes.
 */
final class JfrProfile {

    /** A method (or a library) and its share of the execution samples taken while it was on top of the stack. */
    record Frame(String method, double percent) {}

    private static final String RECORDING = "bench-cpu";

    private JfrProfile() {}

    static void start(long pid) {
        jcmd(pid, "JFR.start", "name=" + RECORDING, "settings=default");
    }

    /**
     * Starts and discards a recording. A JVM's first recording instruments JDK classes for JFR's I/O events, which
     * throws away compiled code that uses them: recompiling it cost the plain-insert service 13 ms per order in a
     * measured window (1.6 ms once primed). Primed before the warm-up, no later recording is a JVM's first.
     */
    static void prime(long pid) {
        jcmd(pid, "JFR.start", "name=" + RECORDING, "settings=default");
        jcmd(pid, "JFR.stop", "name=" + RECORDING);
    }

    /** Stops the recording into {@code file}. */
    static void stop(long pid, Path file) {
        jcmd(pid, "JFR.stop", "name=" + RECORDING, "filename=" + file.toAbsolutePath());
    }

    /** The {@code count} methods most often on top of an execution sample, with their share of all samples. */
    static List<Frame> topFrames(Path recording, int count) throws IOException {
        return top(
                recording,
                count,
                frame -> frame.getMethod().getType().getName() + "."
                        + frame.getMethod().getName());
    }

    /**
     * The {@code count} libraries (packages to three levels, the JDK's to two) whose code is most often on top of an
     * execution sample: where a flat profile's CPU goes — Hibernate, Jackson, the PostgreSQL driver, Kafka, ...
     */
    static List<Frame> topLibraries(Path recording, int count) throws IOException {
        return top(
                recording, count, frame -> library(frame.getMethod().getType().getName()));
    }

    static String library(String className) {
        String[] parts = className.split("\\.");
        int levels = List.of("java", "javax", "jdk", "sun").contains(parts[0]) ? 2 : 3;
        return String.join(".", Arrays.copyOf(parts, Math.max(1, Math.min(levels, parts.length - 1))));
    }

    private static List<Frame> top(Path recording, int count, Function<RecordedFrame, String> key) throws IOException {
        Map<String, Integer> onTop = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                onTop.merge(key.apply(frames.get(0)), 1, Integer::sum);
                samples++;
            }
        }
        int total = Math.max(1, samples);
        List<Frame> top = new ArrayList<>();
        onTop.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(count)
                .forEach(entry -> top.add(new Frame(entry.getKey(), 100.0 * entry.getValue() / total)));
        return top;
    }

    /** Whether the process is a JVM of ours that jcmd can attach to (PostgreSQL is not). */
    static boolean isJvm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
                    .contains("java");
        } catch (IOException gone) {
            return false;
        }
    }

    private static void jcmd(long pid, String... command) {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        List<String> line = new ArrayList<>(List.of(java.resolveSibling("jcmd").toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("%s failed: %s".formatted(String.join(" ", line), output.strip()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run jcmd beside " + java, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
