package dev.dualwrite.bench;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.Suite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Everything downstream of the order services' commits that runs as its own process: the pollers, the Connect worker,
 * order-consumer. Paused with SIGSTOP (and resumed with SIGCONT) so a write-path figure can show the write's own cost
 * apart from the CPU the pipeline takes on a small machine. A paused process keeps its sockets and state; consumer
 * groups rebalance after it resumes if the pause outlived their session timeout.
 */
final class Pipeline {

    static final List<String> PROCESSES = Stream.concat(
                    Suite.PATTERNS.stream()
                            .flatMap(deployment -> deployment.relays().stream())
                            .map(Application::name),
                    Stream.of(Suite.ORDER_CONSUMER.name(), "connect"))
            .toList();

    /** Unpublished rows of every polled pattern's event table. */
    private static final String UNPUBLISHED = Suite.PATTERNS.stream()
            .map(Suite.Deployment::pattern)
            .filter(Pattern::polled)
            .map(pattern -> "(SELECT count(*) FROM %s WHERE published_at IS NULL AND parked_at IS NULL)"
                    .formatted(pattern.eventTable()))
            .collect(Collectors.joining(" + ", "SELECT ", ""));

    /**
     * What the peers (docs/peers.md) have not sent yet: namastack's records that are neither completed nor failed for
     * good, Modulith's incomplete publications.
     */
    private static final String PEERS_UNSENT = """
             + (SELECT count(*) FROM outbox_record WHERE status NOT IN ('COMPLETED', 'FAILED'))
             + (SELECT count(*) FROM event_publication WHERE completion_date IS NULL)
            """;

    /** Replication slots PostgreSQL gave up to cap the WAL it keeps: their connector can never resume. */
    private static final String LOST_SLOTS = "SELECT slot_name FROM pg_replication_slots WHERE wal_status = 'lost'";

    private final NativeStack stack;
    private final JdbcClient jdbc;
    private final String unpublished;
    private final Thread resumeOnExit = new Thread(this::resume, "resume-pipeline");

    /**
     * @param peers whether the peers run: their sends are then part of "idle". Their publishing runs inside their
     *              services, so {@link #pause} cannot pause it.
     */
    Pipeline(NativeStack stack, JdbcClient jdbc, boolean peers) {
        this.stack = stack;
        this.jdbc = jdbc;
        this.unpublished = peers ? UNPUBLISHED + PEERS_UNSENT : UNPUBLISHED;
    }

    void pause() {
        Runtime.getRuntime().addShutdownHook(resumeOnExit);
        signal("-STOP");
    }

    void resume() {
        signal("-CONT");
        if (Thread.currentThread() != resumeOnExit) {
            Runtime.getRuntime().removeShutdownHook(resumeOnExit);
        }
    }

    /**
     * Waits until the pipeline has caught up: nothing unpublished in the relay tables and order-consumer's group has
     * no lag. Each benchmark starts from an idle pipeline, not from the previous one's leftovers. Fails at once if
     * PostgreSQL has invalidated a replication slot (a long pause of Connect can do that): the run would go on with
     * log tailing silently dead.
     */
    void awaitIdle() throws Exception {
        requireNoLostSlot(jdbc.sql(LOST_SLOTS).query(String.class).list());
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", stack.settings().bootstrapServers()))) {
            long backlog = -1;
            while (System.nanoTime() < deadline) {
                backlog = jdbc.sql(unpublished).query(Long.class).single() + consumerLag(admin);
                if (backlog == 0) {
                    return;
                }
                Thread.sleep(500);
            }
            System.out.println("  (the pipeline did not catch up within 5 minutes: " + backlog + " events behind)");
        }
    }

    /** Fails when PostgreSQL has invalidated any of the {@code lost} slots: nothing else the benchmark reads would notice. */
    static void requireNoLostSlot(List<String> lost) {
        if (!lost.isEmpty()) {
            // Log tailing's events never reach Kafka, so they show as no lag at all.
            throw new IllegalStateException(("PostgreSQL has invalidated the replication slot(s) %s"
                            + " (max_slot_wal_keep_size): Debezium cannot resume from it, log tailing's events since"
                            + " then are lost and any figure of it would be void. Recover (README, \"When the slot is"
                            + " invalidated\"): debezium/connector.sh delete && debezium/connector.sh register")
                    .formatted(lost));
        }
    }

    /**
     * Writes the dirty pages of what came before now, not in the middle of the next measurement: a checkpoint that
     * falls into a run (after the drains' 100k-row tables, say) stalls every commit of whichever writer is measured
     * then, and only that one. Where the user may not (CHECKPOINT needs pg_checkpoint or a superuser), it is skipped.
     */
    void checkpoint() {
        try {
            jdbc.sql("CHECKPOINT").update();
        } catch (RuntimeException e) {
            System.out.println("  (no CHECKPOINT between runs: " + e.getMessage() + ")");
        }
    }

    /**
     * Vacuums and analyzes the database now: the rows every earlier run updated and deleted leave autovacuum work
     * that would otherwise start inside one writer's measured window (seen: 5 ms per order of one 30-second window
     * in autovacuum workers) and in no other's.
     */
    void vacuum() {
        try {
            jdbc.sql("VACUUM (ANALYZE)").update();
        } catch (RuntimeException e) {
            System.out.println("  (no VACUUM between runs: " + e.getMessage() + ")");
        }
    }

    private static long consumerLag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("order-consumer")
                .partitionsToOffsetAndMetadata()
                .get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get();
        return committed.entrySet().stream()
                .filter(entry -> entry.getValue() != null)
                .mapToLong(entry ->
                        ends.get(entry.getKey()).offset() - entry.getValue().offset())
                .sum();
    }

    private void signal(String signal) {
        for (String process : PROCESSES) {
            stack.running(process).ifPresent(handle -> {
                try {
                    new ProcessBuilder("kill", signal, Long.toString(handle.pid()))
                            .inheritIO()
                            .start()
                            .waitFor();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }
}
