package dev.dualwrite.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The same open-loop workload for every writer, at the same time: each writer has its own clock that starts an order
 * every 1/rate seconds whatever the earlier ones are waiting for, and its own HTTP client, so a slow or crashed
 * service delays nobody else's orders (its own wait for a free slot of its client, see {@link OrderClient}). An order
 * is a create, then for some a confirm, for some a cancel (listen to yourself confirms its own orders: its clients only
 * cancel).
 *
 * <p>The clocks go on past the planned orders while {@code stillNeeded} says so (faults still to come): on a slow machine
 * restarts take minutes, and a fault that comes after the last order meets no traffic. At most as many orders again.
 */
final class Workload {

    private final List<Writer> writers;
    private final String runId;
    private final int ordersPerWriter;
    private final double ratePerWriter;

    Workload(List<Writer> writers, String runId, int ordersPerWriter, double ratePerWriter) {
        this.writers = writers;
        this.runId = runId;
        this.ordersPerWriter = ordersPerWriter;
        this.ratePerWriter = ratePerWriter;
    }

    Duration length() {
        return Duration.ofMillis((long) (1000 * ordersPerWriter / ratePerWriter));
    }

    /**
     * Runs the workload to its end (every order answered or given up), printing progress every ten seconds. Returns how
     * many orders each writer placed: {@code ordersPerWriter}, or more if the clocks went on for the faults.
     */
    int run(Function<Writer, OrderClient> clients, BooleanSupplier stillNeeded, Consumer<String> out)
            throws InterruptedException {
        long started = System.nanoTime();
        Map<Writer, AtomicInteger> sent = new LinkedHashMap<>();
        Map<Writer, AtomicInteger> done = new LinkedHashMap<>();
        Map<Writer, OrderClient> clientOf = new LinkedHashMap<>();
        List<CompletableFuture<Void>> orders = new ArrayList<>();
        List<ScheduledExecutorService> clocks = new ArrayList<>();
        List<ScheduledFuture<?>> ticks = new ArrayList<>();
        long period = (long) (1_000_000_000L / ratePerWriter);
        for (Writer writer : writers) {
            OrderClient client = clients.apply(writer);
            clientOf.put(writer, client);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            sent.put(writer, next);
            done.put(writer, finished);
            ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "workload-" + writer.name().toLowerCase());
                thread.setDaemon(true);
                return thread;
            });
            clocks.add(clock);
            ticks.add(clock.scheduleAtFixedRate(
                    () -> {
                        int i = next.get();
                        if (i >= 2 * ordersPerWriter || (i >= ordersPerWriter && !stillNeeded.getAsBoolean())) {
                            return;
                        }
                        next.incrementAndGet();
                        int dice = ThreadLocalRandom.current().nextInt(10);
                        CompletableFuture<Void> order;
                        try {
                            order = client.place(
                                    writer.customerPrefix(runId) + i,
                                    dice < 3 && !writer.selfConfirming(),
                                    dice >= 7 || dice == 0);
                        } catch (RuntimeException e) {
                            // A tick that threw would cancel this writer's clock for good; the order counts as given
                            // up.
                            out.accept("  %s order %d not placed: %s".formatted(writer.name(), i, e));
                            order = CompletableFuture.completedFuture(null);
                        }
                        CompletableFuture<Void> tracked =
                                order.whenComplete((result, failure) -> finished.incrementAndGet());
                        synchronized (orders) {
                            orders.add(tracked);
                        }
                    },
                    0,
                    period,
                    TimeUnit.NANOSECONDS));
        }
        try {
            long nextReport = started + 10_000_000_000L;
            while (issuing(sent, stillNeeded) || total(done) < total(sent)) {
                Thread.sleep(200);
                if (System.nanoTime() < nextReport) {
                    continue;
                }
                nextReport += 10_000_000_000L;
                double elapsed = (System.nanoTime() - started) / 1e9;
                StringBuilder line = new StringBuilder("  workload %3.0f s:".formatted(elapsed));
                for (Writer writer : writers) {
                    int s = sent.get(writer).get();
                    int d = done.get(writer).get();
                    int queued = clientOf.get(writer).waiting();
                    line.append(" %s %d/%d due, %d under way%s;"
                            .formatted(
                                    writer.name().toLowerCase(),
                                    s,
                                    Math.max(s, ordersPerWriter),
                                    s - d - queued,
                                    queued == 0 ? "" : ", %d waiting for a slot".formatted(queued)));
                }
                double remaining = Math.max(0, length().toMillis() / 1000.0 - elapsed);
                out.accept(line.append(
                                remaining > 0 || !issuing(sent, stillNeeded)
                                        ? " ETA %.0f s".formatted(remaining)
                                        : " going on while planned faults are still to come")
                        .toString());
            }
        } finally {
            ticks.forEach(tick -> tick.cancel(false));
            clocks.forEach(ScheduledExecutorService::shutdown);
            for (ScheduledExecutorService clock : clocks) {
                clock.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        synchronized (orders) {
            CompletableFuture.allOf(orders.toArray(CompletableFuture[]::new))
                    .exceptionally(failure -> null)
                    .join();
        }
        return sent.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }

    /** Whether a clock may still start an order: one is short of the planned orders, or the faults want more. */
    private boolean issuing(Map<Writer, AtomicInteger> sent, BooleanSupplier stillNeeded) {
        boolean planned = sent.values().stream().anyMatch(count -> count.get() < ordersPerWriter);
        boolean extended = sent.values().stream().anyMatch(count -> count.get() < 2 * ordersPerWriter);
        return planned || (extended && stillNeeded.getAsBoolean());
    }

    private static int total(Map<Writer, AtomicInteger> counts) {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
