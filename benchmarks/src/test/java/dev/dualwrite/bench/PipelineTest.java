package dev.dualwrite.bench;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard that stops a run whose log tailing can no longer deliver anything. */
class PipelineTest {

    @Test
    void aRunGoesOnWhileNoReplicationSlotIsLost() {
        assertThatCode(() -> Pipeline.requireNoLostSlot(List.of())).doesNotThrowAnyException();
    }

    @Test
    void aLostSlotStopsTheRunNamingTheSlotAndTheRecovery() {
        assertThatThrownBy(() -> Pipeline.requireNoLostSlot(List.of("dualwrite_outbox")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[dualwrite_outbox]")
                .hasMessageContaining("debezium/connector.sh delete && debezium/connector.sh register");
    }
}
