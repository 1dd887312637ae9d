package dev.dualwrite.bench;

import dev.dualwrite.stack.StackSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Write path: orders/s that N clients get through one service, each client sending its next create as soon as the
 * last one answered (closed loop). Every service is measured with the same request at the same concurrencies, the
 * plain insert (the same service code writing the order and no event) first: it is the baseline of the ratios.
 */
final class WritePathBench {

    /** @param pipelineRunning whether the pollers, Connect and order-consumer ran meanwhile (else paused) */
    record Result(String service, boolean pipelineRunning, int concurrency, double ordersPerSecond, long failed) {}

    private final StackSettings settings;
    private final Map<String, String> services;
    private final Pipeline pipeline;
    private final Duration length;
    private final Duration warmUp;

    WritePathBench(
            StackSettings settings, Map<String, String> services, Pipeline pipeline, Duration length, Duration warmUp) {
        this.settings = settings;
        this.services = services;
        this.pipeline = pipeline;
        this.length = length;
        this.warmUp = warmUp;
    }

    /**
     * Every service at every concurrency twice: with the pipeline paused — the write's own cost, what the ratios to the
     * plain insert are about — and then with it running, as on a machine that hosts everything, once it caught up on
     * what the paused run left it. The paused run goes first: it also warms the services' JIT for the second. Each
     * phase starts with the {@link CommitCeiling}: what PostgreSQL itself commits at those concurrencies. With the
     * pipeline running each window starts once it is idle, so a window is charged for its own events only.
     */
    List<Result> run(List<Integer> concurrencies) throws Exception {
        List<Result> results = new ArrayList<>();
        try (CommitCeiling ceiling = new CommitCeiling(
                settings, concurrencies.stream().max(Integer::compare).orElse(1))) {
            return run(concurrencies, ceiling, results);
        }
    }

    /** Every service at every concurrency with the pipeline running only (no ceiling): for a comparison within. */
    List<Result> runningOnly(List<Integer> concurrencies) throws Exception {
        return run(concurrencies, null, new ArrayList<>(), List.of(true));
    }

    private List<Result> run(List<Integer> concurrencies, CommitCeiling ceiling, List<Result> results)
            throws Exception {
        return run(concurrencies, ceiling, results, List.of(false, true));
    }

    private List<Result> run(
            List<Integer> concurrencies, CommitCeiling ceiling, List<Result> results, List<Boolean> phases)
            throws Exception {
        String run = "bench-write-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        for (boolean pipelineRunning : phases) {
            System.out.println(
                    pipelineRunning
                            ? " pipeline running:"
                            : " pipeline paused (SIGSTOP) during each writer's windows: " + Pipeline.PROCESSES);
            pipeline.checkpoint();
            if (ceiling != null) {
                pausedUnless(pipelineRunning, () -> {
                    ceiling.ordersPerSecond(8, warmUp);
                    for (int concurrency : concurrencies) {
                        Result result = new Result(
                                CommitCeiling.NAME,
                                pipelineRunning,
                                concurrency,
                                ceiling.ordersPerSecond(concurrency, length),
                                0);
                        System.out.printf(
                                "  %-26s concurrency %2d: %7.0f orders/s%n",
                                result.service(), concurrency, result.ordersPerSecond());
                        results.add(result);
                    }
                });
            }
            for (Map.Entry<String, String> service : services.entrySet()) {
                pipeline.checkpoint();
                pausedUnless(pipelineRunning, () -> {
                    ClosedLoopLoad.start(service.getValue(), run + "warmup-", 8, warmUp)
                            .await();
                    for (int concurrency : concurrencies) {
                        if (pipelineRunning) {
                            // from an idle pipeline, as the latency windows start: not behind the events of the window
                            // before (the previous writer's, or this one's at a lower concurrency)
                            pipeline.awaitIdle();
                        }
                        ClosedLoopLoad load = ClosedLoopLoad.start(service.getValue(), run, concurrency, length)
                                .await();
                        Result result = new Result(
                                service.getKey(), pipelineRunning, concurrency, load.ordersPerSecond(), load.failed());
                        System.out.printf(
                                "  %-26s concurrency %2d: %7.0f orders/s%s%n",
                                service.getKey(),
                                concurrency,
                                result.ordersPerSecond(),
                                load.failed() == 0 ? "" : "  (" + load.failed() + " failed)");
                        results.add(result);
                    }
                });
            }
        }
        return results;
    }

    /** Windows measured one after the other. */
    private interface Windows {
        void run() throws Exception;
    }

    /**
     * Runs {@code windows} with the pipeline paused unless {@code running}, and lets it catch up before going on. Paused
     * one writer at a time, not for the whole phase: Debezium's replication slot keeps the WAL of every write while
     * Connect is stopped, and beyond PostgreSQL's {@code max_slot_wal_keep_size} (2 GB) the slot is invalidated — log
     * tailing then stops for good (README, "When the slot is invalidated"). Windows of 20 s did that twice on this
     * machine (a whole phase paused, then one writer at a time), so they stay at 10 s.
     */
    private void pausedUnless(boolean running, Windows windows) throws Exception {
        if (!running) {
            pipeline.pause();
        }
        try {
            windows.run();
        } finally {
            if (!running) {
                pipeline.resume();
                pipeline.awaitIdle();
            }
        }
    }
}
