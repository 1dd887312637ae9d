package dev.dualwrite.naive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.dualwrite.events.EventType;
import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.events.Pattern;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

class NaiveKafkaPublisherTest {

    @SuppressWarnings("unchecked")
    private final KafkaTemplate<String, String> kafka = mock(KafkaTemplate.class);

    @AfterEach
    void endTransaction() {
        TransactionSynchronizationManager.clear();
    }

    @Test
    void theBenchmarksPlainInsertModeSendsNothingAndWaitsForNoCommit() {
        TransactionSynchronizationManager.initSynchronization();

        publisher(NaiveKafkaPublisher.Mode.NO_EVENT).append(event());

        verifyNoInteractions(kafka);
        assertThat(TransactionSynchronizationManager.getSynchronizations()).isEmpty();
    }

    @Test
    void commitThenPublishDefersTheSendUntilAfterTheCommit() {
        TransactionSynchronizationManager.initSynchronization();

        publisher(NaiveKafkaPublisher.Mode.COMMIT_THEN_PUBLISH).append(event());

        verifyNoInteractions(kafka);
        assertThat(TransactionSynchronizationManager.getSynchronizations()).hasSize(1);
    }

    @Test
    void publishThenCommitSendsInsideTheTransaction() {
        // the mock answers send() with null: the publisher reports the failed send, which proves it tried at once
        assertThatThrownBy(() ->
                        publisher(NaiveKafkaPublisher.Mode.PUBLISH_THEN_COMMIT).append(event()))
                .hasMessageContaining("sending the event failed");
    }

    private NaiveKafkaPublisher publisher(NaiveKafkaPublisher.Mode mode) {
        return new NaiveKafkaPublisher(
                kafka, JsonMapper.builder().build(), new NaiveKafkaPublisher.NaiveProperties(mode));
    }

    private static OrderEvent event() {
        UUID order = UUID.randomUUID();
        return new OrderEvent(
                UUID.randomUUID(),
                EventType.OrderCreated,
                order,
                Pattern.NAIVE_DUAL_WRITE,
                1,
                Instant.now(),
                new OrderEvent.OrderSnapshot(
                        order,
                        "c-1",
                        "PENDING",
                        "EUR",
                        new BigDecimal("5.00"),
                        List.of(new OrderEvent.Item("a", 1, new BigDecimal("5.00")))));
    }
}
