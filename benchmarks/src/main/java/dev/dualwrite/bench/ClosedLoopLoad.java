package dev.dualwrite.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N clients creating orders through one service for a fixed time, each sending its next request as soon as the last
 * one answered. Started in the background ({@link #start}) so a caller can sample meanwhile; {@link #await} ends it.
 * An answer that arrives after the end is not counted: rates are over the load's length.
 */
final class ClosedLoopLoad {

    private final AtomicLong created = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ExecutorService clients;
    private final List<Future<?>> work = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private final long endNanos;

    private ClosedLoopLoad(String baseUrl, String customerPrefix, int concurrency, Duration length) {
        endNanos = startNanos + length.toNanos();
        clients = Executors.newFixedThreadPool(concurrency);
        for (int c = 0; c < concurrency; c++) {
            String prefix = customerPrefix + c + "-";
            work.add(clients.submit(() -> {
                for (int i = 0; System.nanoTime() < endNanos; i++) {
                    try {
                        int status = CreateClient.createOrder(baseUrl, prefix + i);
                        if (System.nanoTime() <= endNanos) {
                            (status == 201 ? created : failed).incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
    }

    static ClosedLoopLoad start(String baseUrl, String customerPrefix, int concurrency, Duration length) {
        return new ClosedLoopLoad(baseUrl, customerPrefix, concurrency, length);
    }

    boolean running() {
        return System.nanoTime() < endNanos;
    }

    /** Waits until every client has stopped; returns this, its counts final. */
    ClosedLoopLoad await() throws InterruptedException, ExecutionException {
        for (Future<?> future : work) {
            future.get();
        }
        clients.shutdown();
        return this;
    }

    long created() {
        return created.get();
    }

    long failed() {
        return failed.get();
    }

    double ordersPerSecond() {
        return created.get() / ((endNanos - startNanos) / 1e9);
    }
}
