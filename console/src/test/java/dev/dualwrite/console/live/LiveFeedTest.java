package dev.dualwrite.console.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.console.ConsoleProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveFeedTest {

    private static final long FIVE_MINUTES = Duration.ofMinutes(5).toMillis();

    private final LiveFeed feed = new LiveFeed(new ConsoleProperties(
            "127.0.0.1",
            0,
            URI.create("http://127.0.0.1:8083"),
            "postgres-connector",
            "dualwrite_outbox",
            null,
            Duration.ofMinutes(5),
            Duration.ofMillis(700)));

    @Test
    void nobodyWatchingForLongerThanTheChartsReachBackLetsTheSamplerRest() {
        long now = System.currentTimeMillis();

        assertThat(feed.wanted(now, false)).as("just started").isTrue();
        assertThat(feed.wanted(now + FIVE_MINUTES + 1_000, false)).isFalse();
    }

    @Test
    void anOpenPageKeepsTheSamplerGoingHoweverLongItStays() {
        long now = System.currentTimeMillis();
        feed.subscribe();

        assertThat(feed.wanted(now + FIVE_MINUTES + 1_000, false))
                .as("a page open")
                .isTrue();
        assertThat(feed.wanted(now + 2 * FIVE_MINUTES, false)).as("still open").isTrue();
    }

    @Test
    void aPageReadingTheHistoryWakesTheSamplerAndARestStartsTheHistoryAgain() {
        feed.publish(snapshot(1));
        feed.publish(snapshot(2));
        long later = System.currentTimeMillis() + FIVE_MINUTES + 1_000;
        assertThat(feed.wanted(later, false)).isFalse();

        feed.rest();

        assertThat(feed.history()).as("no minutes from before the rest").isEmpty();
        assertThat(feed.wanted(System.currentTimeMillis(), false))
                .as("the history was read")
                .isTrue();
    }

    @Test
    void theConsolesOwnWorkloadKeepsTheSamplerGoingAndItsHistoryReadableAfterwards() {
        long now = System.currentTimeMillis();
        long later = now + FIVE_MINUTES + 1_000;

        assertThat(feed.wanted(later, true)).as("while it runs").isTrue();
        assertThat(feed.wanted(later + FIVE_MINUTES - 1_000, false))
                .as("minutes after it stopped")
                .isTrue();
        assertThat(feed.wanted(later + FIVE_MINUTES + 1_000, false)).isFalse();
    }

    private static Snapshot snapshot(long at) {
        return new Snapshot(at, List.of(), List.of(), null, null, false);
    }
}
