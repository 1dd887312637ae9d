package dev.dualwrite.bench;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.StackSettings;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Under maximum write load, does the relay keep up? {@value #CLIENTS} closed-loop clients create orders through one
 * pattern's service as fast as it answers; every second the backlog is sampled: events owed since the start
 * minus records that reached the pattern's topic since the start (counted by a consumer
 * of our own, so the figure is the same for the pollers and for Debezium). After the load the time until the
 * backlog is zero is measured too.
 */
final class KeepUpBench {

    static final int CLIENTS = 32;

    /**
     * @param backlog one sample per second during the load, then until drained
     */
    record Result(
            String pattern,
            double ordersPerSecond,
            double committedPerSecond,
            double publishedPerSecond,
            long maxBacklog,
            long backlogAtEnd,
            double drainSeconds,
            List<Long> backlog) {

        /**
         * Keeping up: published as fast as owed (within 5%) and, when the load ends, less than a second's worth
         * of events owed and not on the topic — a bounded backlog. For listen-to-yourself the confirmations it owes
         * count from the moment their orders commit.
         */
        boolean keepsUp() {
            return publishedPerSecond >= 0.95 * committedPerSecond && backlogAtEnd <= committedPerSecond;
        }
    }

    /*
     * Events owed since a moment, counted from the orders created: each create owes its OrderCreated, and a
     * listen-to-yourself create owes its confirmation too, from the moment the order commits — counting only the
     * event rows committed would hide confirmations its own consumer has not derived yet. (Counting orders also
     * serves log tailing, whose cdc_outbox rows are deleted in the transaction that inserts them.)
     */
    private static String owedEvents(Pattern pattern) {
        int owedPerOrder = Services.eventsPerCreate(pattern.name());
        return "SELECT %d * count(*) FROM orders WHERE pattern = '%s' AND created_at >= ?"
                .formatted(owedPerOrder, pattern.name());
    }

    private final StackSettings settings;
    private final JdbcClient jdbc;
    private final Pipeline pipeline;
    private final Duration length;

    KeepUpBench(StackSettings settings, JdbcClient jdbc, Pipeline pipeline, Duration length) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.jdbc = jdbc;
        this.length = length;
    }

    List<Result> run(Map<String, String> services) throws Exception {
        List<Result> results = new ArrayList<>();
        for (Map.Entry<String, String> service : services.entrySet()) {
            pipeline.awaitIdle();
            Result result = measure(Pattern.valueOf(service.getKey()), service.getValue());
            System.out.printf(
                    "  %-26s %6.0f orders/s, events owed %6.0f/s published %6.0f/s, backlog max %6d"
                            + " at end %6d, %s → %s%n",
                    result.pattern(),
                    result.ordersPerSecond(),
                    result.committedPerSecond(),
                    result.publishedPerSecond(),
                    result.maxBacklog(),
                    result.backlogAtEnd(),
                    Double.isFinite(result.drainSeconds())
                            ? "drained %.1f s after the load".formatted(result.drainSeconds())
                            : "not drained within 3 minutes",
                    result.keepsUp() ? "keeps up" : "falls behind");
            results.add(result);
        }
        return results;
    }

    private Result measure(Pattern pattern, String baseUrl) throws Exception {
        String run = "bench-keepup-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Timestamp since = jdbc.sql("SELECT now()").query(Timestamp.class).single();
        String owedQuery = owedEvents(pattern);
        AtomicLong published = new AtomicLong();
        AtomicBoolean counting = new AtomicBoolean(true);
        CountDownLatch atTopicEnd = new CountDownLatch(1);
        ExecutorService threads = Executors.newSingleThreadExecutor();
        Future<?> counter = threads.submit(() -> countRecords(pattern.topic(), published, counting, atTopicEnd));
        atTopicEnd.await();
        ClosedLoopLoad load = ClosedLoopLoad.start(baseUrl, run, CLIENTS, length);
        List<Long> samples = new ArrayList<>();
        long committed = 0;
        long publishedDuringLoad = 0;
        while (load.running()) {
            Thread.sleep(1000);
            // published first: read the other way round, what is published while the count runs would show as negative
            publishedDuringLoad = published.get();
            committed = jdbc.sql(owedQuery).param(since).query(Long.class).single();
            samples.add(committed - publishedDuringLoad);
        }
        load.await();
        double seconds = length.toNanos() / 1e9;
        long backlogAtEnd = samples.isEmpty() ? 0 : samples.get(samples.size() - 1);
        long drainStart = System.nanoTime();
        long drainDeadline = drainStart + Duration.ofMinutes(3).toNanos();
        long backlog;
        do {
            Thread.sleep(100);
            long publishedNow = published.get();
            backlog = jdbc.sql(owedQuery).param(since).query(Long.class).single() - publishedNow;
        } while (backlog > 0 && System.nanoTime() < drainDeadline);
        double drainSeconds = backlog > 0 ? Double.POSITIVE_INFINITY : (System.nanoTime() - drainStart) / 1e9;
        counting.set(false);
        counter.get();
        threads.shutdown();
        long max = samples.stream().mapToLong(Long::longValue).max().orElse(0);
        return new Result(
                pattern.name(),
                load.ordersPerSecond(),
                committed / seconds,
                publishedDuringLoad / seconds,
                max,
                backlogAtEnd,
                drainSeconds,
                samples);
    }

    /** Counts every record that reaches the topic after the call, until told to stop. */
    private Void countRecords(String topic, AtomicLong count, AtomicBoolean counting, CountDownLatch atTopicEnd) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        settings.bootstrapServers(),
                        "enable.auto.commit",
                        "false",
                        "max.poll.records",
                        "5000"),
                new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            atTopicEnd.countDown();
            while (counting.get()) {
                count.addAndGet(consumer.poll(Duration.ofMillis(50)).count());
            }
        } finally {
            atTopicEnd.countDown();
        }
        return null;
    }
}
