package dev.dualwrite.console.live;

import dev.dualwrite.console.Writers;
import dev.dualwrite.console.live.Snapshot.ComponentState;
import dev.dualwrite.console.live.Snapshot.WriterState;
import dev.dualwrite.console.workload.Workload;
import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.Suite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Once a second while a page watches ({@link LiveFeed#wanted}): every application's metrics, the tables, the broker and
 * Connect, made into one {@link Snapshot} and handed to the page. Counters become rates here, from the previous second's totals (a process that restarted
 * starts its counters again from zero, which counts as the reset it is).
 */
@Component
class LiveSampler {

    static final String CONSUMER_GROUP = "order-consumer";

    private static final List<String> SERVICE_METRICS = List.of("http_server_requests_seconds");
    private static final List<String> RELAY_METRICS = List.of("relay_published");
    private static final List<String> CONSUMER_METRICS =
            List.of("consumer_events_applied", "consumer_end_to_end_latency_seconds", "events_duplicates_skipped");

    /** The end-to-end percentiles are those of the last 30 seconds: long enough for a steady figure at 1 order/s. */
    static final long LATENCY_WINDOW_MILLIS = 30_000;

    private final Scrapes scrapes;
    private final DatabaseView database;
    private final KafkaView kafka;
    private final ConnectView connect;
    private final Workload workload;
    private final LiveFeed feed;
    private final boolean faults;
    private final Map<String, Double> lastTotals = new HashMap<>();
    private final Map<Pattern, LatencyWindow> latencies = new HashMap<>();
    private long lastAt;

    LiveSampler(
            Scrapes scrapes,
            DatabaseView database,
            KafkaView kafka,
            ConnectView connect,
            Workload workload,
            LiveFeed feed,
            Environment environment) {
        this.scrapes = scrapes;
        this.database = database;
        this.kafka = kafka;
        this.connect = connect;
        this.workload = workload;
        this.feed = feed;
        this.faults = environment.acceptsProfiles(Profiles.of("lab"));
    }

    @Scheduled(fixedRate = 1000)
    void sample() {
        // a workload started from the console is watched in effect: a script reads its history afterwards
        if (!feed.wanted(workload.state().running())) {
            // resting (LiveFeed): the next snapshot starts afresh, with no rate over the whole rest
            lastAt = 0;
            lastTotals.clear();
            latencies.clear();
            return;
        }
        long now = System.currentTimeMillis();
        double seconds = lastAt == 0 ? 0 : (now - lastAt) / 1000.0;
        lastAt = now;

        Map<Application, List<String>> metrics = new LinkedHashMap<>();
        for (Suite.Deployment writer : Writers.ALL) {
            metrics.put(writer.service(), SERVICE_METRICS);
            writer.relays().forEach(relay -> metrics.put(relay, RELAY_METRICS));
        }
        metrics.put(Suite.ORDER_CONSUMER, CONSUMER_METRICS);
        List<Application> applications = List.copyOf(metrics.keySet());
        Map<String, Optional<Scrape>> scraped = scrapes.scrape(metrics);
        Optional<Scrape> consumer = scraped.get(Suite.ORDER_CONSUMER.name());

        List<String> topics = Writers.ALL.stream()
                .flatMap(writer -> Stream.of(writer.topic(), writer.pattern().deadLetterTopic()))
                .toList();
        Optional<KafkaView.Topics> offsets = kafka.topics(topics, CONSUMER_GROUP);
        Optional<ConnectView.Status> connector = connect.status();
        boolean databaseUp = database.up();

        List<WriterState> writers = new ArrayList<>();
        for (Suite.Deployment writer : Writers.ALL) {
            writers.add(writer(writer, scraped, consumer, offsets, connector, databaseUp, seconds));
        }

        List<ComponentState> components = new ArrayList<>();
        components.add(new ComponentState("postgres", "infrastructure", databaseUp));
        components.add(new ComponentState("kafka", "infrastructure", offsets.isPresent()));
        components.add(new ComponentState("connect", "infrastructure", connector.isPresent()));
        applications.forEach(application -> components.add(new ComponentState(
                application.name(),
                "application",
                scraped.get(application.name()).isPresent())));

        Long duplicates = consumer.flatMap(scrape -> present(scrape.sum("events_duplicates_skipped_total", Map.of())))
                .map(Double::longValue)
                .orElse(null);
        feed.publish(new Snapshot(now, writers, components, duplicates, workload.state(), faults));
    }

    private WriterState writer(
            Suite.Deployment writer,
            Map<String, Optional<Scrape>> scraped,
            Optional<Scrape> consumer,
            Optional<KafkaView.Topics> offsets,
            Optional<ConnectView.Status> connector,
            boolean databaseUp,
            double seconds) {
        Pattern pattern = writer.pattern();
        String key = pattern.name();
        // a meter appears with its first event: a process that answered without it has counted none yet
        Double orders = scraped.get(writer.service().name())
                .map(scrape -> scrape.sum(
                                "http_server_requests_seconds_count",
                                Map.of("method", "POST", "uri", "/api/orders", "status", "201"))
                        .orElse(0))
                .map(total -> rate(key + ":orders", total, seconds))
                .orElse(null);
        Double events = offsets.map(
                        topics -> rate(key + ":events", topics.endOffsets().getOrDefault(writer.topic(), 0L), seconds))
                .orElse(null);
        Double applied = consumer.map(scrape -> scrape.sum("consumer_events_applied_total", Map.of("pattern", key))
                        .orElse(0))
                .map(total -> rate(key + ":applied", total, seconds))
                .orElse(null);
        LatencyWindow latency = latencies.computeIfAbsent(pattern, any -> new LatencyWindow(LATENCY_WINDOW_MILLIS));
        consumer.ifPresent(scrape -> latency.add(
                System.currentTimeMillis(),
                scrape.buckets("consumer_end_to_end_latency_seconds", Map.of("pattern", key))));
        Double p50 = milliseconds(latency.quantile(0.5));
        Double p99 = milliseconds(latency.quantile(0.99));
        Long deadLetters = offsets.map(topics -> topics.endOffsets().getOrDefault(pattern.deadLetterTopic(), 0L))
                .orElse(null);
        Long lag = offsets.map(topics -> topics.lag().getOrDefault(writer.topic(), 0L))
                .orElse(null);

        String route;
        Long backlog = null;
        Double oldest = null;
        Long parked = null;
        Long retained = null;
        Long unconfirmed = null;
        String connectorState = null;
        String taskState = null;
        if (!writer.relays().isEmpty()) {
            route = "relay";
            Optional<DatabaseView.EventTable> table =
                    databaseUp ? database.eventTable(writer.eventTable()) : Optional.empty();
            backlog = table.map(DatabaseView.EventTable::backlog).orElse(null);
            oldest = table.map(DatabaseView.EventTable::oldestPendingSeconds).orElse(null);
            parked = table.map(DatabaseView.EventTable::parked).orElse(null);
        } else if (pattern == Pattern.TRANSACTIONAL_LOG_TAILING) {
            route = "log tailing";
            Optional<DatabaseView.Slot> slot = databaseUp ? database.slot() : Optional.empty();
            retained = slot.map(DatabaseView.Slot::retainedBytes).orElse(null);
            unconfirmed = slot.map(DatabaseView.Slot::unconfirmedBytes).orElse(null);
            connectorState = connector.map(ConnectView.Status::connector).orElse("UNREACHABLE");
            taskState = connector.map(ConnectView.Status::task).orElse("UNREACHABLE");
        } else {
            route = "direct";
        }
        return new WriterState(
                key,
                writer.label(),
                route,
                writer.service().name(),
                route.equals("direct") ? null : writer.eventTable(),
                writer.topic(),
                writer.relays().stream().map(Application::name).toList(),
                orders,
                events,
                applied,
                backlog,
                oldest,
                parked,
                deadLetters,
                lag,
                p50,
                p99,
                retained,
                unconfirmed,
                connectorState,
                taskState);
    }

    private static Double milliseconds(Double seconds) {
        return seconds == null ? null : Math.round(seconds * 10_000) / 10.0;
    }

    private double rate(String counter, double total, double seconds) {
        Double last = lastTotals.put(counter, total);
        if (last == null || seconds <= 0) {
            return 0;
        }
        double increase = total >= last ? total - last : total;
        return Math.round(increase / seconds * 10) / 10.0;
    }

    private static Optional<Double> present(OptionalDouble value) {
        return value.isPresent() ? Optional.of(value.getAsDouble()) : Optional.empty();
    }
}
