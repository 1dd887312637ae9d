package dev.dualwrite.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.lab.Evidence.CommittedOrder;
import dev.dualwrite.lab.Evidence.DeadLetter;
import dev.dualwrite.lab.Evidence.Downstream;
import dev.dualwrite.lab.Evidence.Effect;
import dev.dualwrite.lab.Evidence.TopicRecord;
import dev.dualwrite.lab.Operation.Outcome;
import dev.dualwrite.lab.Operation.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The verdict over small synthetic histories: one test per anomaly, one per benign case. */
class VerdictTest {

    private static final String CUSTOMER = "lab-test-transactional_outbox-0";

    private final UUID order = UUID.randomUUID();
    private final List<Operation> history = new ArrayList<>();
    private final List<CommittedOrder> committed = new ArrayList<>();
    private final List<TopicRecord> topic = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final List<Effect> effects = new ArrayList<>();
    private final Map<UUID, Downstream> downstream = new HashMap<>();
    private long offset;

    /** An order created, confirmed and cancelled, acknowledged, committed, on the topic once each, applied downstream. */
    private void cleanHistoryOfThreeVersions() {
        history.add(ok(Type.CREATE, 1));
        history.add(ok(Type.CONFIRM, 2));
        history.add(ok(Type.CANCEL, 3));
        committed.add(new CommittedOrder(order, CUSTOMER, "CANCELLED", 3));
        publish(UUID.randomUUID(), 1, "OrderCreated", "PENDING");
        publish(UUID.randomUUID(), 2, "OrderConfirmed", "CONFIRMED");
        publish(UUID.randomUUID(), 3, "OrderCancelled", "CANCELLED");
        topic.forEach(record -> effects.add(new Effect("order-consumer", record.eventId())));
        downstream.put(order, new Downstream(order, "CANCELLED", 3, 3));
    }

    private Operation ok(Type type, int version) {
        return new Operation(
                "TRANSACTIONAL_OUTBOX",
                type,
                order,
                type == Type.CREATE ? "key-1" : null,
                CUSTOMER,
                version * 1000L,
                version * 1000L + 500,
                Outcome.OK,
                version,
                "200");
    }

    private TopicRecord publish(UUID eventId, int version, String type, String status) {
        return publish(eventId, order, version, type, status);
    }

    private TopicRecord publish(UUID eventId, UUID orderId, int version, String type, String status) {
        TopicRecord record =
                new TopicRecord(orderId.toString(), eventId, orderId, version, type, status, CUSTOMER, 0, offset++);
        topic.add(record);
        return record;
    }

    private Verdict verdict() {
        return Verdict.judge(
                "TRANSACTIONAL_OUTBOX",
                history,
                new Evidence(committed, topic, deadLetters, effects, downstream, 0),
                false);
    }

    @Test
    void aCleanHistoryHasNoViolation() {
        cleanHistoryOfThreeVersions();

        Verdict verdict = verdict();

        assertThat(verdict.clean()).isTrue();
        assertThat(verdict.committed()).isEqualTo(1);
        assertThat(verdict.acknowledged()).isEqualTo(3);
        assertThat(verdict.duplicatesOnTopic()).isZero();
    }

    @Test
    void anAcknowledgedCreateMissingFromTheDatabaseIsLostAcknowledged() {
        cleanHistoryOfThreeVersions();
        committed.clear();

        Verdict verdict = verdict();

        assertThat(verdict.lostAcknowledged()).isEqualTo(3);
        assertThat(verdict.phantom())
                .as("its events now announce an order that is not there")
                .isEqualTo(3);
    }

    @Test
    void anAcknowledgedCancelWhoseVersionTheDatabaseLacksIsLostAcknowledged() {
        history.add(ok(Type.CREATE, 1));
        history.add(ok(Type.CANCEL, 2));
        committed.add(new CommittedOrder(order, CUSTOMER, "PENDING", 1));
        publish(UUID.randomUUID(), 1, "OrderCreated", "PENDING");
        downstream.put(order, new Downstream(order, "PENDING", 1, 1));

        assertThat(verdict().lostAcknowledged()).isEqualTo(1);
    }

    @Test
    void aCommittedVersionWithoutItsEventIsLost() {
        cleanHistoryOfThreeVersions();
        topic.remove(1);

        Verdict verdict = verdict();

        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.examples()).anyMatch(example -> example.startsWith("lost: order " + order + " version 2"));
    }

    @Test
    void anEventOfAnOrderNeverCommittedIsPhantom() {
        cleanHistoryOfThreeVersions();
        publish(UUID.randomUUID(), UUID.randomUUID(), 1, "OrderCreated", "PENDING");

        assertThat(verdict().phantom()).isEqualTo(1);
    }

    @Test
    void anEventOfAVersionAboveTheCommittedOneIsPhantom() {
        history.add(ok(Type.CREATE, 1));
        committed.add(new CommittedOrder(order, CUSTOMER, "PENDING", 1));
        publish(UUID.randomUUID(), 1, "OrderCreated", "PENDING");
        publish(UUID.randomUUID(), 2, "OrderConfirmed", "CONFIRMED");
        downstream.put(order, new Downstream(order, "PENDING", 1, 1));

        Verdict verdict = verdict();

        assertThat(verdict.phantom()).isEqualTo(1);
        assertThat(verdict.lost()).isZero();
    }

    @Test
    void anEventWhoseContentDiffersFromWhatWasCommittedAtItsVersionIsPhantom() {
        history.add(ok(Type.CREATE, 1));
        history.add(ok(Type.CONFIRM, 2));
        committed.add(new CommittedOrder(order, CUSTOMER, "CONFIRMED", 2));
        publish(UUID.randomUUID(), 1, "OrderCreated", "PENDING");
        publish(UUID.randomUUID(), 2, "OrderCancelled", "CANCELLED");
        downstream.put(order, new Downstream(order, "CONFIRMED", 2, 2));

        assertThat(verdict().phantom()).isEqualTo(1);
    }

    @Test
    void twoEventIdsForOneVersionAreConflicting() {
        cleanHistoryOfThreeVersions();
        publish(UUID.randomUUID(), 2, "OrderConfirmed", "CONFIRMED");

        Verdict verdict = verdict();

        assertThat(verdict.conflicting()).isEqualTo(1);
        assertThat(verdict.duplicatesOnTopic())
                .as("a second event is not a copy")
                .isZero();
    }

    @Test
    void anExtraCopyOfAnEventIsADuplicateNotAViolation() {
        cleanHistoryOfThreeVersions();
        TopicRecord second = topic.get(1);
        publish(second.eventId(), 2, "OrderConfirmed", "CONFIRMED");

        Verdict verdict = verdict();

        assertThat(verdict.duplicatesOnTopic()).isEqualTo(1);
        assertThat(verdict.clean()).isTrue();
    }

    @Test
    void aRedeliveredStretchIsDuplicatesNotReorders() {
        cleanHistoryOfThreeVersions();
        TopicRecord first = topic.get(0);
        TopicRecord second = topic.get(1);
        publish(first.eventId(), 1, "OrderCreated", "PENDING");
        publish(second.eventId(), 2, "OrderConfirmed", "CONFIRMED");

        Verdict verdict = verdict();

        assertThat(verdict.reorders()).isZero();
        assertThat(verdict.duplicatesOnTopic()).isEqualTo(2);
        assertThat(verdict.clean()).isTrue();
    }

    @Test
    void aLowerVersionFirstSeenAfterAHigherOneIsAReorder() {
        cleanHistoryOfThreeVersions();
        TopicRecord first = topic.remove(0);
        topic.add(new TopicRecord(
                first.key(), first.eventId(), order, 1, "OrderCreated", "PENDING", CUSTOMER, 0, offset++));

        assertThat(verdict().reorders()).isEqualTo(1);
    }

    @Test
    void aRecordNotKeyedByItsOrderIsMalformed() {
        cleanHistoryOfThreeVersions();
        TopicRecord first = topic.remove(0);
        topic.add(
                0,
                new TopicRecord(
                        "another-key",
                        first.eventId(),
                        order,
                        1,
                        "OrderCreated",
                        "PENDING",
                        CUSTOMER,
                        0,
                        first.offset()));

        Verdict verdict = verdict();

        assertThat(verdict.malformed()).isEqualTo(1);
        assertThat(verdict.clean()).isFalse();
    }

    @Test
    void aCopyOfAnEventIdWithOtherContentIsConflicting() {
        cleanHistoryOfThreeVersions();
        publish(topic.get(1).eventId(), 2, "OrderCancelled", "CANCELLED");

        Verdict verdict = verdict();

        assertThat(verdict.conflicting()).isEqualTo(1);
        assertThat(verdict.duplicatesOnTopic()).isEqualTo(1);
    }

    @Test
    void aSecondOrderForOneCustomerIsADuplicateOrder() {
        cleanHistoryOfThreeVersions();
        UUID twin = UUID.randomUUID();
        committed.add(new CommittedOrder(twin, CUSTOMER, "PENDING", 1));
        publish(UUID.randomUUID(), twin, 1, "OrderCreated", "PENDING");
        downstream.put(twin, new Downstream(twin, "PENDING", 1, 1));

        assertThat(verdict().duplicateOrders()).isEqualTo(1);
    }

    @Test
    void aRecordWithoutAnEventIdIsMalformed() {
        cleanHistoryOfThreeVersions();
        topic.add(new TopicRecord(
                order.toString(), null, order, 2, "OrderConfirmed", "CONFIRMED", CUSTOMER, 0, offset++));

        assertThat(verdict().malformed()).isEqualTo(1);
    }

    @Test
    void anEventAppliedTwiceByOneConsumerIsADuplicateEffect() {
        cleanHistoryOfThreeVersions();
        effects.add(new Effect("order-consumer", topic.get(0).eventId()));
        effects.add(new Effect("order-service-listen-to-yourself", topic.get(0).eventId()));

        assertThat(verdict().duplicateEffects())
                .as("a second consumer applying it is not a duplicate")
                .isEqualTo(1);
    }

    @Test
    void aRecordOnTheDeadLetterTopicIsReportedWithItsReason() {
        cleanHistoryOfThreeVersions();
        deadLetters.add(new DeadLetter(order.toString(), UUID.randomUUID(), "stale event", 0, 7));

        Verdict verdict = verdict();

        assertThat(verdict.deadLettered()).isEqualTo(1);
        assertThat(verdict.deadLetterReasons()).containsEntry("stale event", 1);
    }

    @Test
    void aDownstreamViewBehindTheDatabaseIsAMismatch() {
        cleanHistoryOfThreeVersions();
        downstream.put(order, new Downstream(order, "CONFIRMED", 2, 2));

        assertThat(verdict().mismatches()).isEqualTo(1);
    }

    @Test
    void anIndeterminateCreateThatCommittedIsJudgedByWhatCommitted() {
        history.add(new Operation(
                "TRANSACTIONAL_OUTBOX",
                Type.CREATE,
                null,
                "key-1",
                CUSTOMER,
                0,
                10_000_000,
                Outcome.INFO,
                null,
                "request timed out"));
        committed.add(new CommittedOrder(order, CUSTOMER, "PENDING", 1));
        publish(UUID.randomUUID(), 1, "OrderCreated", "PENDING");
        downstream.put(order, new Downstream(order, "PENDING", 1, 1));

        Verdict verdict = verdict();

        assertThat(verdict.indeterminate()).isEqualTo(1);
        assertThat(verdict.clean()).isTrue();
    }

    @Test
    void anIndeterminateCreateThatDidNotCommitLeavesNothingToFind() {
        history.add(new Operation(
                "TRANSACTIONAL_OUTBOX",
                Type.CREATE,
                null,
                "key-1",
                CUSTOMER,
                0,
                10_000_000,
                Outcome.INFO,
                null,
                "connection reset"));

        Verdict verdict = verdict();

        assertThat(verdict.committed()).isZero();
        assertThat(verdict.clean()).isTrue();
    }

    @Test
    void aListenToYourselfOrderStillPendingIsAnOwedConfirmation() {
        history.add(ok(Type.CREATE, 1));
        committed.add(new CommittedOrder(order, CUSTOMER, "PENDING", 1));
        publish(UUID.randomUUID(), 1, "OrderCreated", "PENDING");
        downstream.put(order, new Downstream(order, "PENDING", 1, 1));

        Verdict verdict = Verdict.judge(
                "LISTEN_TO_YOURSELF",
                history,
                new Evidence(committed, topic, deadLetters, effects, downstream, 0),
                true);

        assertThat(verdict.unconfirmed()).isEqualTo(1);
    }

    @Test
    void theLifecycleTellsWhatWasCommittedAtEveryVersion() {
        assertThat(Verdict.committedAt("CANCELLED", 3, 2))
                .isEqualTo(new Verdict.Content("OrderConfirmed", "CONFIRMED"));
        assertThat(Verdict.committedAt("CANCELLED", 2, 2))
                .isEqualTo(new Verdict.Content("OrderCancelled", "CANCELLED"));
        assertThat(Verdict.committedAt("CONFIRMED", 2, 1)).isEqualTo(new Verdict.Content("OrderCreated", "PENDING"));
    }
}
