package dev.dualwrite.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmarks' open-loop client: one create per tick of a fixed schedule, whether or not earlier ones have
 * answered, and no tick is ever dropped. A tick whose turn comes while every connection is busy waits in a queue, and
 * every latency is measured from the tick's <em>intended</em> send time, so a service that falls behind is charged for
 * the queueing it causes (no coordinated omission). The achieved rate is the creates answered 201 over the time from
 * the first tick to the last 201: a service slower than the target stretches that time.
 */
final class OpenLoop {

    /** Connections (and sending threads): more than the requests in flight at the highest target of a live service. */
    static final int CONNECTIONS = 256;

    /**
     * What the client saw. {@code intendedEpochMicros}: per customer id of a 201, its tick's intended send time on the
     * wall clock (comparable with PostgreSQL's timestamps on this host); {@code responseMicros}: intended send → 201,
     * sorted.
     */
    record Outcome(
            int ticks,
            int created,
            int failed,
            double achievedPerSecond,
            Map<String, Long> intendedEpochMicros,
            long[] responseMicros) {

        double responsePercentileMs(double percentile) {
            return percentileMs(responseMicros, percentile);
        }
    }

    private OpenLoop() {}

    /** Creates orders with customer ids {@code run0, run1, ...} at {@code rate}/s for {@code length}. */
    static Outcome create(String baseUrl, String run, int rate, Duration length) throws InterruptedException {
        int ticks = (int) (rate * length.toMillis() / 1000);
        long period = 1_000_000_000L / rate;
        BlockingQueue<Integer> due = new LinkedBlockingQueue<>();
        Map<String, Long> intended = new ConcurrentHashMap<>();
        long[] response = new long[ticks];
        Arrays.fill(response, -1);
        AtomicInteger created = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong lastAnswer = new AtomicLong();
        long start = System.nanoTime();
        long startEpochMicros = System.currentTimeMillis() * 1000;
        ExecutorService senders = Executors.newFixedThreadPool(CONNECTIONS);
        for (int i = 0; i < CONNECTIONS; i++) {
            senders.execute(() -> {
                try {
                    for (int tick = due.take(); tick >= 0; tick = due.take()) {
                        long intendedNanos = start + tick * period;
                        String customer = run + tick;
                        int status;
                        try {
                            status = CreateClient.createOrder(baseUrl, customer);
                        } catch (RuntimeException e) {
                            status = -1; // counted as failed, and this sender goes on with the next tick
                        }
                        long answered = System.nanoTime();
                        if (status == 201) {
                            lastAnswer.accumulateAndGet(answered, Math::max);
                            created.incrementAndGet();
                            response[tick] = (answered - intendedNanos) / 1000;
                            intended.put(customer, startEpochMicros + (intendedNanos - start) / 1000);
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        for (int tick = 0; tick < ticks; tick++) {
            long wait = start + tick * period - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            due.add(tick);
        }
        for (int i = 0; i < CONNECTIONS; i++) {
            due.add(-1);
        }
        senders.shutdown();
        if (!senders.awaitTermination(10, TimeUnit.MINUTES)) {
            senders.shutdownNow();
            throw new IllegalStateException("requests still unanswered 10 minutes after the last tick");
        }
        long[] answered =
                Arrays.stream(response).filter(micros -> micros >= 0).sorted().toArray();
        double seconds = Math.max(lastAnswer.get() - start, period) / 1e9;
        return new Outcome(ticks, created.get(), failed.get(), created.get() / seconds, intended, answered);
    }

    /** The percentile of sorted microsecond values, in milliseconds; NaN when there are none. */
    static double percentileMs(long[] sortedMicros, double percentile) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile / 100 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(index, sortedMicros.length - 1))] / 1000.0;
    }
}
