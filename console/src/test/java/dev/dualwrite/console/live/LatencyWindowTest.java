package dev.dualwrite.console.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void interpolatesInsideTheBucketTheRankFallsInAsPrometheusDoes() {
        // 100 observations: 50 up to 0.1 s, 40 more up to 0.5 s, 10 more up to 1 s
        TreeMap<Double, Double> cumulative = new TreeMap<>(Map.of(0.1, 50.0, 0.5, 90.0, 1.0, 100.0, INF, 100.0));

        assertThat(LatencyWindow.quantile(0.5, cumulative)).isCloseTo(0.1, within(1e-9));
        assertThat(LatencyWindow.quantile(0.7, cumulative)).isCloseTo(0.1 + 0.4 * 20 / 40, within(1e-9));
        assertThat(LatencyWindow.quantile(0.99, cumulative)).isCloseTo(0.5 + 0.5 * 9 / 10, within(1e-9));
    }

    @Test
    void aRankBeyondTheHighestFiniteBucketIsThatBucketsBound() {
        TreeMap<Double, Double> cumulative = new TreeMap<>(Map.of(0.1, 1.0, 1.0, 2.0, INF, 10.0));

        assertThat(LatencyWindow.quantile(0.99, cumulative)).isEqualTo(1.0);
    }

    @Test
    void countsOnlyWhatWasObservedWithinTheWindow() {
        LatencyWindow window = new LatencyWindow(30_000);
        window.add(0, Map.of(0.1, 1000.0, 1.0, 1000.0, INF, 1000.0));
        window.add(1_000, Map.of(0.1, 1000.0, 1.0, 1010.0, INF, 1010.0));

        // the thousand fast ones came before the window began: only the ten slow ones count
        assertThat(window.quantile(0.5)).isCloseTo(0.1 + 0.9 * 5 / 10, within(1e-9));
    }

    @Test
    void forgetsSamplesOlderThanTheWindowAndSaysNothingWhenNothingWasObserved() {
        LatencyWindow window = new LatencyWindow(30_000);
        window.add(0, Map.of(0.1, 0.0, INF, 0.0));
        window.add(10_000, Map.of(0.1, 5.0, INF, 5.0));
        window.add(50_000, Map.of(0.1, 5.0, INF, 5.0));

        assertThat(window.quantile(0.99)).isNull();
    }

    @Test
    void takesARestartedProcesssCountsAsTheWindows() {
        LatencyWindow window = new LatencyWindow(30_000);
        window.add(0, Map.of(0.1, 500.0, 1.0, 500.0, INF, 500.0));
        window.add(1_000, Map.of(0.1, 0.0, 1.0, 4.0, INF, 4.0));

        assertThat(window.quantile(0.5)).isCloseTo(0.1 + 0.9 * 2 / 4, within(1e-9));
    }
}
