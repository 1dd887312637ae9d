package dev.dualwrite.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void eachPauseDoublesTheLastUpToTheMaximumUntilReset() {
        OutboxRelay.Backoff backoff = new OutboxRelay.Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));

        assertThat(IntStream.range(0, 6).mapToObj(i -> backoff.next().toMillis()))
                .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
    }
}
