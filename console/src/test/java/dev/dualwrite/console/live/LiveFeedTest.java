package dev.dualwrite.console.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.console.ConsoleProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LiveFeedTest {

    private static final long FIVE_MINUTES = Duration.ofMinutes(5).toMillis();

    private final AtomicLong now = new AtomicLong();
    private final LiveFeed feed = new LiveFeed(
            new ConsoleProperties(
                    "127.0.0.1",
                    0,
                    URI.create("http://127.0.0.1:8083"),
                    "postgres-connector",
                    "dualwrite_outbox",
                    null,
                    Duration.ofMinutes(5),
                    Duration.ofMillis(700)),
            now::get);

    @Test
    void nobodyWatchingForLongerThanTheChartsReachBackLetsTheSamplerRest() {
        assertThat(feed.wanted(false)).as("just started").isTrue();

        now.set(FIVE_MINUTES + 1_000);

        assertThat(feed.wanted(false)).isFalse();
    }

    @Test
    void anOpenPageKeepsTheSamplerGoingHoweverLongItStays() {
        feed.subscribe();

        now.set(FIVE_MINUTES + 1_000);
        assertThat(feed.wanted(false)).as("a page open").isTrue();
        now.set(3 * FIVE_MINUTES);
        assertThat(feed.wanted(false)).as("still open").isTrue();
    }

    @Test
    void aRestStartsTheHistoryAgainAndAPageReadingItWakesTheSampler() {
        feed.publish(snapshot(1));
        feed.publish(snapshot(2));
        now.set(FIVE_MINUTES + 1_000);
        assertThat(feed.wanted(false)).isFalse();

        assertThat(feed.history()).as("no minutes from before the rest").isEmpty();
        now.set(FIVE_MINUTES + 2_000);
        assertThat(feed.wanted(false)).as("the history was read").isTrue();
    }

    @Test
    void theConsolesOwnWorkloadKeepsTheSamplerGoingAndItsHistoryReadableAfterwards() {
        now.set(FIVE_MINUTES + 1_000);
        assertThat(feed.wanted(true)).as("while it runs").isTrue();
        feed.publish(snapshot(now.get()));

        now.set(2 * FIVE_MINUTES);
        assertThat(feed.wanted(false)).as("minutes after it stopped").isTrue();
        assertThat(feed.history()).hasSize(1);
        now.set(3 * FIVE_MINUTES + 1_000);
        assertThat(feed.wanted(false)).isFalse();
    }

    private static Snapshot snapshot(long at) {
        return new Snapshot(at, List.of(), List.of(), null, null, false);
    }
}
