package dev.dualwrite.console.live;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Percentiles of one histogram over a sliding window, computed from its cumulative buckets as Prometheus's
 * {@code histogram_quantile(q, rate(..._bucket[30s]))} does: the counts added to each bucket within the window,
 * interpolated linearly inside the bucket the rank falls in. (Micrometer exports no client-side percentiles beside a
 * Prometheus histogram, and a Grafana panel of the same metric should show the same figure.)
 */
final class LatencyWindow {

    private record Buckets(long at, NavigableMap<Double, Double> cumulative) {}

    private final long windowMillis;
    private final Deque<Buckets> samples = new ArrayDeque<>();

    LatencyWindow(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** Adds one scrape's buckets: upper bound ({@code le}, +Inf included) → cumulative count. */
    void add(long at, Map<Double, Double> cumulative) {
        samples.addLast(new Buckets(at, new TreeMap<>(cumulative)));
        while (samples.size() > 1 && samples.peekFirst().at() < at - windowMillis) {
            samples.removeFirst();
        }
    }

    /** The quantile in seconds of what was recorded within the window; null when nothing was. */
    Double quantile(double q) {
        if (samples.size() < 2) {
            return null;
        }
        NavigableMap<Double, Double> first = samples.peekFirst().cumulative();
        NavigableMap<Double, Double> last = samples.peekLast().cumulative();
        // a restarted process begins its counts again: then its counts so far are the window's
        boolean reset = last.entrySet().stream()
                .anyMatch(bucket -> bucket.getValue() < first.getOrDefault(bucket.getKey(), 0.0));
        NavigableMap<Double, Double> added = new TreeMap<>();
        last.forEach((le, count) -> added.put(le, reset ? count : count - first.getOrDefault(le, 0.0)));
        return quantile(q, added);
    }

    static Double quantile(double q, NavigableMap<Double, Double> cumulative) {
        if (cumulative.isEmpty()) {
            return null;
        }
        double total = cumulative.lastEntry().getValue();
        if (total <= 0) {
            return null;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    // beyond the highest finite bucket: its bound is the best one can say, as Prometheus does
                    return lowerBound;
                }
                double inBucket = bucket.getValue() - lowerCount;
                return inBucket <= 0
                        ? bucket.getKey()
                        : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }
}
