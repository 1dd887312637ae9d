package dev.dualwrite.console.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.dualwrite.events.Pattern;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadSettingsTest {

    @Test
    void refusesARateOutsideWhatTheConsoleCanSendWithTheReason() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Workload.Settings(0, List.of(Pattern.TRANSACTIONAL_OUTBOX), null, null))
                .withMessageContaining("ratePerSecond must be between 1 and 2000");
    }

    @Test
    void refusesNoPatternAndSharesAboveAHundredPercent() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Workload.Settings(10, List.of(), 0, 0))
                .withMessageContaining("TRANSACTIONAL_OUTBOX");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Workload.Settings(10, List.of(Pattern.LISTEN_TO_YOURSELF), 80, 30))
                .withMessageContaining("add up to 100");
    }

    @Test
    void refusesAPeerWhichTheConsoleDoesNotDrive() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Workload.Settings(10, List.of(Pattern.PEER_NAMASTACK), 0, 0))
                .withMessageContaining("and no other");
    }

    @Test
    void acceptsEveryWriterOfTheConsole() {
        assertThat(new Workload.Settings(
                                100,
                                List.of(
                                        Pattern.TRANSACTIONAL_OUTBOX,
                                        Pattern.LISTEN_TO_YOURSELF,
                                        Pattern.TRANSACTIONAL_LOG_TAILING,
                                        Pattern.NAIVE_DUAL_WRITE),
                                30,
                                10)
                        .patterns())
                .hasSize(4);
    }
}
