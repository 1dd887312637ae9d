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
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The same open-loop workload for every writer, at the same time: each writer has its own clock that starts an order
 * every 1/rate seconds whatever the earlier ones are waiting for, and its own HTTP client, so a slow or crashed
 * service delays nobody else's orders (its own wait for a free slot of its client, see {@link OrderClient}). An order
 * is a create, then for some a confirm, for some a cancel (listen to yourself confirms its own orders: its clients only
 * cancel).
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

    /** Runs the workload to its end (every order answered or given up), printing progress every ten seconds. */
    void run(Function<Writer, OrderClient> clients, Consumer<String> out) throws InterruptedException {
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
                        if (i >= ordersPerWriter) {
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
            while (done.values().stream().mapToInt(AtomicInteger::get).sum() < ordersPerWriter * writers.size()) {
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
                                    ordersPerWriter,
                                    s - d - queued,
                                    queued == 0 ? "" : ", %d waiting for a slot".formatted(queued)));
                }
                double remaining = Math.max(0, length().toMillis() / 1000.0 - elapsed);
                out.accept(line.append(" ETA %.0f s".formatted(remaining)).toString());
            }
        } finally {
            ticks.forEach(tick -> tick.cancel(false));
            clocks.forEach(ScheduledExecutorService::shutdownNow);
        }
        synchronized (orders) {
            CompletableFuture.allOf(orders.toArray(CompletableFuture[]::new))
                    .exceptionally(failure -> null)
                    .join();
        }
    }
}
