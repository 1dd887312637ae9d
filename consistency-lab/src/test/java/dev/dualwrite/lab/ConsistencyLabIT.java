package dev.dualwrite.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.labhooks.Mutants;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.stack.Suite;
import dev.dualwrite.testsupport.ApplicationPorts;
import dev.dualwrite.testsupport.TestStack;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CI-sized lab: every application as its own process (the jars the build just made, the lab's hooks on their
 * class path) on a private stack. A run of a few hundred orders per writer under one fault of each kind; the same run
 * tampered with and judged again; and a reduced set of mutants, each of which must be caught.
 */
class ConsistencyLabIT {

    private static NativeStack stack;

    @BeforeAll
    static void privateApplicationPorts() throws Exception {
        // Tracing is EndToEndTracingIT's: here it would only add every span's export to the lab's two cores.
        StackSettings settings = TestStack.withConnect()
                .settings()
                .withApplications(ApplicationPorts.freeOffset(Suite.LAB, 10000), "lab")
                .withTracing(false, "0");
        stack = new NativeStack(settings);
    }

    @AfterAll
    static void stopApplications() {
        stack.stopApplications(Suite.LAB, line -> {});
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void theThreePatternsShowNoViolationUnderEveryKindOfFaultWhileTheNaiveWritesLoseAndInvent() throws Exception {
        LabRun lab = new LabRun(
                stack,
                Suite.LAB,
                new FaultPlan(Duration.ofSeconds(5), List.of("outbox-poller-2")),
                System.out::println);
        LabReport report = lab.run(Writer.ALL, 150, Set.copyOf(FaultPlan.KINDS), 30, "ConsistencyLabIT");
        System.out.print(report.table());
        System.out.print(report.faultTimeline());

        assertThat(report.run().faults())
                .as("one step of failpoints, one kill, Kafka, PostgreSQL")
                .hasSize(FaultPlan.FAILPOINTS.size() + 3)
                .allSatisfy(fault -> assertThat(fault.fired())
                        .as(fault.fault() + ": " + fault.evidence())
                        .isTrue());
        assertThat(report.run().restarts())
                .containsKeys(
                        "kafka",
                        "postgres",
                        "outbox-poller-2",
                        "order-service-naive",
                        "order-service-naive-publish-first",
                        "outbox-poller-1",
                        "lty-poller-1",
                        "order-consumer",
                        "order-service-listen-to-yourself");
        for (Writer writer : List.of(Writer.OUTBOX, Writer.LISTEN_TO_YOURSELF, Writer.LOG_TAILING)) {
            Verdict verdict = report.writers().get(writer.name()).verdict();
            assertThat(verdict.committed()).as("%s committed", writer.name()).isPositive();
            assertThat(verdict.acknowledged())
                    .as("%s acknowledged", writer.name())
                    .isPositive();
            LabReport.COLUMNS.stream()
                    .filter(column -> !column.equals("duplicatesOnTopic"))
                    .forEach(column -> assertThat(verdict.count(column))
                            .as("%s %s: %s", writer.name(), column, verdict.examples())
                            .isZero());
        }
        assertThat(report.writers().get(Writer.NAIVE.name()).verdict().lost())
                .as("commit, then publish: the order its failpoint halted after the commit has no event")
                .isPositive();
        assertThat(report.writers()
                        .get(Writer.NAIVE_PUBLISH_FIRST.name())
                        .verdict()
                        .phantom())
                .as("publish, then commit: the event of the order its failpoint halted before the commit")
                .isPositive();
        assertThat(report.passed()).isTrue();

        tamperedRunIsJudgedAgainWithTheMatchingCounts(report.run());
    }

    /** A second event for a committed version, an event for a version never committed, an acknowledged order deleted. */
    private void tamperedRunIsJudgedAgainWithTheMatchingCounts(LabReport.Run run) throws Exception {
        StackSettings settings = stack.settings();
        List<Operation> history = History.read(LabRun.runDirectory(settings, run.runId()));
        Operation created = history.stream()
                .filter(op -> op.writer().equals(Writer.OUTBOX.name())
                        && op.type() == Operation.Type.CREATE
                        && op.outcome() == Operation.Outcome.OK)
                .findFirst()
                .orElseThrow();
        Operation deleted = history.stream()
                .filter(op -> op.writer().equals(Writer.OUTBOX.name())
                        && op.type() == Operation.Type.CREATE
                        && op.outcome() == Operation.Outcome.OK
                        && !op.orderId().equals(created.orderId()))
                .findFirst()
                .orElseThrow();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", settings.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(event(created, 1, "OrderCreated", "PENDING")).get();
            producer.send(event(created, 99, "OrderCancelled", "CANCELLED")).get();
        }
        try (Connection connection = new RunReader(settings).connect();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM orders WHERE id = ?")) {
            delete.setObject(1, deleted.orderId());
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }

        LabReport again =
                LabRun.judge(settings, LabReport.Run.load(LabRun.runDirectory(settings, run.runId())), history);

        Verdict outbox = again.writers().get(Writer.OUTBOX.name()).verdict();
        assertThat(outbox.conflicting()).as("the second event of version 1").isEqualTo(1);
        assertThat(outbox.lostAcknowledged())
                .as("every acknowledged operation of the deleted order")
                .isPositive();
        assertThat(outbox.phantom())
                .as("version 99, and the deleted order's events")
                .isGreaterThanOrEqualTo(2);
        assertThat(again.patternsHold()).isFalse();
    }

    private static ProducerRecord<String, String> event(Operation created, int version, String type, String status) {
        UUID eventId = UUID.randomUUID();
        String value = """
                {"eventId":"%s","eventType":"%s","orderId":"%s","pattern":"TRANSACTIONAL_OUTBOX","version":%d,
                 "occurredAt":"%s","order":{"id":"%s","customerId":"%s","status":"%s","currency":"EUR",
                 "totalAmount":19.90,"items":[{"sku":"lab-item","quantity":2,"unitPrice":9.95}]}}
                """.formatted(
                        eventId,
                        type,
                        created.orderId(),
                        version,
                        Instant.now(),
                        created.orderId(),
                        created.customerId(),
                        status);
        ProducerRecord<String, String> record = new ProducerRecord<>(
                Pattern.TRANSACTIONAL_OUTBOX.topic(), created.orderId().toString(), value);
        record.headers().add("id", eventId.toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add("eventType", type.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everyDetectorFiresOnTheMutantMadeForIt() throws Exception {
        List<LabMutants.Scenario> reduced = LabMutants.SCENARIOS.stream()
                .filter(scenario -> List.of(
                                Mutants.RELAY_MARKS_BEFORE_ACK, Mutants.CONSUMER_SKIPS_IDEMPOTENCY, Mutants.LOST_UPDATE)
                        .contains(scenario.name()))
                .toList();

        List<LabReport.Mutant> results = LabMutants.run(stack, Suite.LAB, reduced, 60, System.out::println);
        System.out.print(LabReport.mutantsMarkdown(results));

        assertThat(results)
                .hasSize(3)
                .allSatisfy(mutant -> assertThat(mutant.caught())
                        .as("%s: %s = %d", mutant.name(), mutant.detector(), mutant.count())
                        .isTrue());
    }
}
