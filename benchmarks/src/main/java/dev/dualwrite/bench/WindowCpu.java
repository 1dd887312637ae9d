package dev.dualwrite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * How busy the machine was while a measured window ran, and whose CPU it was: for reading a latency figure. On two
 * cores an open-loop client at a fixed rate meets queueing once the suite's CPU nears the machine's, and a tail of
 * seconds then says "no CPU left", not "this pattern waits somewhere". The machine's busy share is sampled from
 * {@code /proc/stat} every second of the window; every named process's CPU ({@link ProcessCpu}, PostgreSQL with its
 * backends) is read at the window's start and end.
 */
final class WindowCpu {

    /** A second whose machine was at least this busy counts as saturated. */
    static final double SATURATED = 0.95;

    /** Processes named in a summary: the few that used most. */
    private static final int TOP = 5;

    /**
     * @param busyPercent      the machine's busy share (all cores), averaged over the window's whole seconds
     * @param saturatedSeconds of those seconds, how many were at least {@link #SATURATED} busy
     * @param seconds          the window's whole seconds
     * @param topPercent       the processes that used most CPU in the window, each in % of the machine (all cores)
     */
    record Summary(double busyPercent, int saturatedSeconds, int seconds, Map<String, Double> topPercent) {

        static final Summary NONE = new Summary(Double.NaN, 0, 0, Map.of());

        /** "82 % busy, 12 of 60 s saturated; order-service-outbox 21 %, postgres 19 %, ...". */
        String describe() {
            if (seconds == 0) {
                return "";
            }
            List<String> top = new ArrayList<>();
            topPercent.forEach((process, percent) -> top.add("%s %.0f %%".formatted(process, percent)));
            return "%.0f %% busy, %d of %d s ≥ %.0f %%; %s"
                    .formatted(busyPercent, saturatedSeconds, seconds, SATURATED * 100, String.join(", ", top));
        }
    }

    /** A value and the machine's CPU while it was computed. */
    record Measured<T>(T value, Summary cpu) {}

    private WindowCpu() {}

    /** Runs {@code window} while sampling; {@code processes}: name → pid of what to name (a gone one counts 0). */
    static <T> Measured<T> during(Map<String, Long> processes, Callable<T> window) throws Exception {
        // the cores /proc/stat counts, the base of its busy share (availableProcessors() follows a cgroup's limit)
        int cores = cores();
        List<Double> busyPerSecond = Collections.synchronizedList(new ArrayList<>());
        Thread sampler = new Thread(
                () -> {
                    try {
                        long[] last = machineTicks();
                        while (!Thread.currentThread().isInterrupted()) {
                            Thread.sleep(1000);
                            long[] now = machineTicks();
                            long total = now[1] - last[1];
                            if (total > 0) {
                                busyPerSecond.add((double) (now[0] - last[0]) / total);
                            }
                            last = now;
                        }
                    } catch (InterruptedException | RuntimeException stopped) {
                        // the window is over (or /proc unreadable): the seconds sampled so far are the figure
                    }
                },
                "window-cpu");
        sampler.setDaemon(true);
        Map<String, Double> start = seconds(processes);
        long started = System.nanoTime();
        sampler.start();
        T value;
        try {
            value = window.call();
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        Map<String, Double> end = seconds(processes);
        Map<String, Double> percent = new LinkedHashMap<>();
        end.forEach((process, cpu) ->
                percent.put(process, 100 * (cpu - start.getOrDefault(process, cpu)) / (elapsed * cores)));
        Map<String, Double> top = new LinkedHashMap<>();
        percent.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(TOP)
                .forEach(entry -> top.put(entry.getKey(), BenchSection.round(entry.getValue(), 1)));
        List<Double> busy;
        synchronized (busyPerSecond) {
            busy = List.copyOf(busyPerSecond);
        }
        if (busy.isEmpty()) {
            return new Measured<>(value, Summary.NONE);
        }
        double mean = busy.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        int saturated = (int) busy.stream().filter(share -> share >= SATURATED).count();
        return new Measured<>(value, new Summary(BenchSection.round(100 * mean, 1), saturated, busy.size(), top));
    }

    private static Map<String, Double> seconds(Map<String, Long> processes) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        processes.forEach((process, pid) -> {
            try {
                // This JVM is the parent of every process it launched itself (on a stopped stack, every one but
                // PostgreSQL, which pg_ctl detaches): those are named on their own, not counted as its CPU.
                seconds.put(process, pid == self ? ProcessCpu.ownSeconds(pid) : ProcessCpu.seconds(pid));
            } catch (IllegalStateException gone) {
                // restarted or stopped mid-run: it counts for nothing rather than failing the benchmark
            }
        });
        return seconds;
    }

    /** The cores /proc/stat counts: the base of its busy share. */
    static int cores() {
        try {
            return (int) Math.max(
                    1,
                    Files.readAllLines(Path.of("/proc/stat")).stream()
                            .filter(line -> line.matches("cpu\\d+ .*"))
                            .count());
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * The machine's busy share (all cores, %) between two {@link #machineTicks()} readings, without steal: the CPU
     * this machine's processes used, not what a hypervisor gave elsewhere.
     */
    static double busyPercent(long[] from, long[] to) {
        long total = to[1] - from[1];
        return total > 0 ? 100.0 * ((to[0] - to[2]) - (from[0] - from[2])) / total : Double.NaN;
    }

    /**
     * Busy, total and stolen clock ticks of all cores (the first line of /proc/stat); iowait counts as idle, steal as
     * busy (a second with the hypervisor's share gone is as saturated for the suite).
     */
    static long[] machineTicks() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long user = Long.parseLong(fields[1]);
            long nice = Long.parseLong(fields[2]);
            long system = Long.parseLong(fields[3]);
            long idle = Long.parseLong(fields[4]);
            long iowait = Long.parseLong(fields[5]);
            long irq = Long.parseLong(fields[6]);
            long softirq = Long.parseLong(fields[7]);
            long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
            long busy = user + nice + system + irq + softirq + steal;
            return new long[] {busy, busy + idle + iowait, steal};
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat", e);
        }
    }
}
