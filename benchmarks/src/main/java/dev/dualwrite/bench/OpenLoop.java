package dev.dualwrite.bench;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmarks' open-loop client: creates orders on a fixed schedule, whether or not earlier ones have answered.
 * A service that cannot take the rate would make requests pile up without end; at most {@link #IN_FLIGHT} are
 * outstanding and a tick that finds them all busy is skipped, so the orders created say what was sustained.
 */
final class OpenLoop {

    static final int IN_FLIGHT = 128;

    private OpenLoop() {}

    /** Creates orders with customer ids {@code run1, run2, ...} at {@code rate}/s for {@code length}; returns 201s. */
    static int create(String baseUrl, String run, int rate, Duration length) throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger created = new AtomicInteger();
        AtomicInteger sequence = new AtomicInteger();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        clock.scheduleAtFixedRate(
                () -> {
                    if (inFlight.tryAcquire()) {
                        Services.HTTP
                                .sendAsync(
                                        Services.createOrder(baseUrl, run + sequence.incrementAndGet()),
                                        HttpResponse.BodyHandlers.discarding())
                                .whenComplete((response, failure) -> {
                                    inFlight.release();
                                    if (response != null && response.statusCode() == 201) {
                                        created.incrementAndGet();
                                    }
                                });
                    }
                },
                0,
                1_000_000_000L / rate,
                TimeUnit.NANOSECONDS);
        clock.awaitTermination(length.toMillis(), TimeUnit.MILLISECONDS);
        clock.shutdownNow();
        inFlight.acquire(IN_FLIGHT);
        return created.get();
    }
}
