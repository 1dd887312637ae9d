package dev.dualwrite.console.workload;

import dev.dualwrite.console.ConsoleProperties;
import dev.dualwrite.console.Writers;
import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.OrdersApi;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Orders at a steady rate through the chosen services, open loop: a tick every 10 ms sends what the rate owes by now,
 * whatever the answers take, so that a slow or dead service shows as failures and backlog rather than as a quietly
 * lower rate. Some created orders are then confirmed or cancelled (listen to yourself confirms its own). This is a
 * console's load, not a measurement: requests beyond {@link #MAX_IN_FLIGHT} waiting answers are counted as skipped
 * (./bench.sh measures without that shortcut).
 */
@Component
public class Workload implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Workload.class);

    static final int MAX_IN_FLIGHT = 256;

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final java.util.regex.Pattern ORDER_ID =
            java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final java.util.regex.Pattern VERSION =
            java.util.regex.Pattern.compile("\"version\"\\s*:\\s*(\\d+)");

    /**
     * @param ratePerSecond  orders created per second, over every chosen service together
     * @param patterns       the services to write through, in turn
     * @param confirmPercent share of created orders then confirmed (0 when absent)
     * @param cancelPercent  share then cancelled (0 when absent)
     */
    public record Settings(
            Integer ratePerSecond, List<Pattern> patterns, Integer confirmPercent, Integer cancelPercent) {

        public Settings {
            if (ratePerSecond == null || ratePerSecond < 1 || ratePerSecond > 2000) {
                throw new IllegalArgumentException("ratePerSecond must be between 1 and 2000, not " + ratePerSecond);
            }
            if (patterns == null
                    || patterns.isEmpty()
                    || patterns.stream()
                            .anyMatch(pattern ->
                                    pattern == null || Writers.find(pattern).isEmpty())) {
                throw new IllegalArgumentException("patterns must name at least one of " + names() + " and no other");
            }
            patterns = List.copyOf(patterns);
            confirmPercent = confirmPercent == null ? 0 : confirmPercent;
            cancelPercent = cancelPercent == null ? 0 : cancelPercent;
            if (confirmPercent < 0 || cancelPercent < 0 || confirmPercent + cancelPercent > 100) {
                throw new IllegalArgumentException(
                        "confirmPercent and cancelPercent must be 0 or more and add up to 100 at most");
            }
        }

        private static List<String> names() {
            return Writers.ALL.stream().map(writer -> writer.pattern().name()).toList();
        }
    }

    /** What the workload has done since it was last started. */
    public record State(
            boolean running,
            Settings settings,
            Instant startedAt,
            long sent,
            long created,
            long changed,
            long failed,
            long skipped,
            int inFlight,
            String lastError) {}

    private final HttpClient http = OrdersApi.client();
    private final ConsoleProperties properties;
    private final WorkloadHistory.Factory histories;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "workload");
        thread.setDaemon(true);
        return thread;
    });

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong changed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile String lastError;
    private volatile WorkloadHistory history = WorkloadHistory.NONE;
    private volatile Settings settings;
    private volatile Instant startedAt;
    private volatile ScheduledFuture<?> ticks;

    Workload(ConsoleProperties properties, ObjectProvider<WorkloadHistory.Factory> histories) {
        this.properties = properties;
        this.histories = histories.getIfAvailable(() -> patterns -> WorkloadHistory.NONE);
    }

    /** Starts (or restarts with new settings) and returns at once. */
    public synchronized State start(Settings settings) {
        stop();
        sent.set(0);
        created.set(0);
        changed.set(0);
        failed.set(0);
        skipped.set(0);
        lastError = null;
        this.history = histories.begin(settings.patterns());
        this.settings = settings;
        this.startedAt = Instant.now();
        long start = System.nanoTime();
        AtomicLong owed = new AtomicLong();
        ticks = ticker.scheduleAtFixedRate(
                () -> {
                    long due = (System.nanoTime() - start) * settings.ratePerSecond() / 1_000_000_000L;
                    while (owed.get() < due) {
                        long n = owed.getAndIncrement();
                        send(
                                settings,
                                settings.patterns()
                                        .get((int) (n % settings.patterns().size())),
                                n);
                    }
                },
                0,
                10,
                TimeUnit.MILLISECONDS);
        log.info("workload started: {}", settings);
        return state();
    }

    /**
     * Stops sending and waits (at most the request timeout) for the answers still on their way, so that what the
     * workload did is complete when this returns: no confirm or cancel follows a stop.
     */
    public synchronized State stop() {
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
            long deadline = System.nanoTime() + TIMEOUT.plusSeconds(1).toNanos();
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            log.info("workload stopped after {} orders sent ({} answers not waited for)", sent.get(), inFlight.get());
        }
        return state();
    }

    public State state() {
        return new State(
                ticks != null,
                settings,
                startedAt,
                sent.get(),
                created.get(),
                changed.get(),
                failed.get(),
                skipped.get(),
                inFlight.get(),
                lastError);
    }

    private void send(Settings settings, Pattern pattern, long n) {
        if (inFlight.get() >= MAX_IN_FLIGHT) {
            skipped.incrementAndGet();
            return;
        }
        WorkloadHistory history = this.history;
        String url = properties.url(Writers.of(pattern).service()).toString();
        String customer = history.customerId(pattern, n);
        HttpRequest create = OrdersApi.create(url, customer, "SKU-" + (n % 20), 1 + (int) (n % 3), null, TIMEOUT);
        sent.incrementAndGet();
        inFlight.incrementAndGet();
        Instant sentAt = Instant.now();
        http.sendAsync(create, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            inFlight.decrementAndGet();
            UUID order = response == null
                    ? null
                    : match(ORDER_ID, response.body()).map(UUID::fromString).orElse(null);
            answered(history, pattern, "create", order, customer, sentAt, response, failure);
            if (order != null && response.statusCode() == 201) {
                created.incrementAndGet();
                if (ticks != null) {
                    change(settings, history, pattern, url, order, customer);
                }
            }
        });
    }

    private void change(
            Settings settings, WorkloadHistory history, Pattern pattern, String url, UUID order, String customer) {
        int dice = ThreadLocalRandom.current().nextInt(100);
        String action = dice < settings.confirmPercent()
                // listen to yourself confirms its orders itself, from its own OrderCreated
                ? (pattern == Pattern.LISTEN_TO_YOURSELF ? null : "confirm")
                : dice < settings.confirmPercent() + settings.cancelPercent() ? "cancel" : null;
        if (action == null) {
            return;
        }
        inFlight.incrementAndGet();
        Instant sentAt = Instant.now();
        http.sendAsync(OrdersApi.change(url, order, action, TIMEOUT), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    inFlight.decrementAndGet();
                    answered(history, pattern, action, order, customer, sentAt, response, failure);
                    if (response != null && response.statusCode() == 200) {
                        changed.incrementAndGet();
                    }
                });
    }

    /** Counts a failure, and writes the request down as the client saw it. */
    private void answered(
            WorkloadHistory history,
            Pattern pattern,
            String action,
            UUID order,
            String customer,
            Instant sentAt,
            HttpResponse<String> response,
            Throwable failure) {
        int status = response == null ? 0 : response.statusCode();
        boolean succeeded = status == (action.equals("create") ? 201 : 200);
        String detail = failure != null ? failure.toString() : status + (succeeded ? "" : " " + response.body());
        if (!succeeded) {
            failed(pattern, action + " " + detail);
        }
        Integer version = response == null
                ? null
                : match(VERSION, response.body()).map(Integer::valueOf).orElse(null);
        history.record(pattern, action, order, customer, sentAt, Instant.now(), status, version, detail);
    }

    private static Optional<String> match(java.util.regex.Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private void failed(Pattern pattern, String error) {
        failed.incrementAndGet();
        lastError = pattern + ": " + (error.length() > 300 ? error.substring(0, 300) : error);
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
    }
}
