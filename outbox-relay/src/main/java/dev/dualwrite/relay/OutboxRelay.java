package dev.dualwrite.relay;

import dev.dualwrite.tracing.EventTracing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Relays one outbox table to one Kafka topic: {@link RelayRound}s, one after the other, on a thread of its own (and,
 * through a backlog, on helper threads beside it: below).
 * Rounds follow each other at once while there may be work: a full batch, or a published event that makes the same
 * order's next event eligible (NOTIFY only announces new rows). Otherwise the relay waits for a notification
 * ({@link #wakeUp()}, which rows committed during the round have already given) or the poll interval — an empty
 * round after each small one would cost a claim per event at low rates — and backs off — one policy, doubling up to
 * {@code backoffMax} — when a round failed (Kafka or the topic as a whole, see {@link FailureClass}) or could
 * publish nothing.
 *
 * <p>Through a backlog, rounds overlap ({@code roundsInFlight}): when the main loop's round claims a full batch it wakes
 * a helper thread, which claims the next batch while the first round sends, awaits Kafka's acknowledgements and marks.
 * Each round is its own transaction, exactly as if a second relay ran: the claim skips rows another round holds, and an
 * order whose earliest unpublished event is held elsewhere has no eligible row, so an order's events still go out one
 * at a time, in order. The helper runs rounds back to back while there may be work (as the main loop does), then wakes
 * the main loop (which may have found nothing while the helper held the rows) and waits for the next full claim: while
 * no claim of the main loop comes back full, one round runs at a time, batching whatever came in meanwhile, as before.
 * Only the main loop's rounds count towards health ({@link #consecutiveFailures()}) and replace a producer that stopped
 * answering; a helper's failed round is counted in the metrics and backs the helper off.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final RelayProperties properties;
    private final DefaultKafkaProducerFactory<String, String> producers;
    private final RelayRound round;
    private final List<RelayRound> helperRounds = new ArrayList<>();
    private final Semaphore wakeUps = new Semaphore(0);
    /** Full batches claimed: each may start a helper round (roundsInFlight > 1). */
    private final Semaphore fullClaims = new Semaphore(0);

    private final RelayMetrics metrics;
    private final OutboxRepository repository;
    private volatile boolean running;
    private volatile int consecutiveFailures;
    private volatile RelayRound.RoundFailed lastFailure;
    private volatile boolean wokenByNotify;
    private final List<Thread> workers = new ArrayList<>();

    /**
     * Whether rows may wait for a retry time, so that an idle relay asks the table when the first falls due: at the
     * start (rows of an earlier run), and after this relay gave rows one. Rows another relay gave one wake that relay;
     * if it is gone, the poll finds them.
     */
    private volatile boolean retriesMayWait = true;

    /**
     * @param producers the relay's own producer factory, closed when the relay stops; the relay forces the settings
     *                  its guarantee rests on (see {@link RelayRound#GUARANTEES})
     */
    public OutboxRelay(
            RelayProperties properties,
            OutboxRepository repository,
            DefaultKafkaProducerFactory<String, String> producers,
            TransactionTemplate transaction,
            RelayMetrics metrics,
            BatchObserver observer,
            EventTracing tracing) {
        producers.updateConfigs(RelayRound.GUARANTEES);
        Duration delivery = deliveryTimeout(producers);
        if (properties.sendTimeout() == null) {
            properties = properties.withSendTimeout(delivery.plusSeconds(5));
        } else if (properties.sendTimeout().compareTo(delivery) < 0) {
            log.warn(
                    "relay.send-timeout ({}) is shorter than the producer's delivery.timeout.ms ({}): while Kafka is"
                            + " down the relay will take sends it still holds for a producer that stopped answering,"
                            + " and replace it after every round",
                    properties.sendTimeout(),
                    delivery);
        }
        this.properties = properties;
        this.producers = producers;
        this.metrics = metrics;
        this.repository = repository;
        KafkaTemplate<String, String> kafka = new KafkaTemplate<>(producers);
        ReadWriteLock producer = new ReentrantReadWriteLock();
        Function<RelayRound.Sharing, RelayRound> newRound = sharing ->
                new RelayRound(this.properties, repository, kafka, transaction, metrics, observer, tracing, sharing);
        this.round = newRound.apply(new RelayRound.Sharing(
                producer, true, properties.roundsInFlight() > 1 ? fullClaims::release : () -> {}));
        for (int i = 1; i < properties.roundsInFlight(); i++) {
            helperRounds.add(newRound.apply(new RelayRound.Sharing(producer, false, () -> {})));
        }
    }

    private static Duration deliveryTimeout(DefaultKafkaProducerFactory<String, String> producers) {
        Object configured = producers
                .getConfigurationProperties()
                .getOrDefault(
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        ProducerConfig.configDef().defaultValues().get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        return Duration.ofMillis(Long.parseLong(String.valueOf(configured).trim()));
    }

    /** Called when new rows were committed (PostgreSQL NOTIFY): the relay looks at once instead of at the next poll. */
    public void wakeUp() {
        wakeUps.release();
    }

    /** Whether NOTIFY wakes this relay (it is the one of its table that listens: {@link RelayNotifications}). */
    void wokenByNotify(boolean woken) {
        wokenByNotify = woken;
    }

    /** Rounds failed one after the other, Kafka or the topic failing as a whole; 0 after a round that did not. */
    int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** The failure of the last round, while rounds keep failing; null once one succeeds. */
    RelayRound.RoundFailed lastFailure() {
        return lastFailure;
    }

    /** One round: claim, send, await acknowledgement, mark. Returns the number of rows claimed. */
    public int relayBatch() {
        try {
            return succeeded(round.run()).claimed();
        } catch (RelayRound.RoundFailed e) {
            failed(e);
            throw e;
        }
    }

    private RelayRound.Result succeeded(RelayRound.Result result) {
        consecutiveFailures = 0;
        lastFailure = null;
        return result;
    }

    private void failed(RelayRound.RoundFailed failure) {
        consecutiveFailures++;
        lastFailure = failure;
        metrics.roundFailed(failure.failure);
    }

    private void loop() {
        Backoff backoff = new Backoff(properties.backoffInitial(), properties.backoffMax());
        while (running) {
            try {
                RelayRound.Result result = succeeded(round.run());
                retriesMayWait |= result.retrying();
                if (result.claimed() > 0 && result.acknowledged().isEmpty()) {
                    pause(backoff.next());
                } else {
                    backoff.reset();
                    // A relay that NOTIFY does not wake looks again after publishing: the next event of an order it
                    // just published may have come during its round, announced only to the listening relay, which
                    // could not claim it while this one had the order's event in flight.
                    if (!result.more()
                            && (wokenByNotify || result.acknowledged().isEmpty())) {
                        awaitWork(idleWait());
                    }
                }
            } catch (RelayRound.RoundFailed e) {
                failed(e);
                retriesMayWait = true;
                Duration pause = backoff.next();
                if (e.failure == FailureClass.SYSTEMIC) {
                    log.error(
                            "Kafka refuses the topic {} as a whole; nothing parked, {} acknowledged, retry in {} ms: {}",
                            properties.topic(),
                            e.acknowledged,
                            pause.toMillis(),
                            e.getMessage());
                } else {
                    log.warn(
                            "Kafka unavailable ({} acknowledged, rest kept for retry in {} ms): {}",
                            e.acknowledged,
                            pause.toMillis(),
                            e.getMessage());
                }
                pause(pause);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                Duration pause = backoff.next();
                log.warn("Relay round failed, retrying in {} ms: {}", pause.toMillis(), e.toString());
                pause(pause);
            }
        }
    }

    /**
     * A helper: woken by a full claim of the main loop, it runs rounds back to back while there may be work, then wakes
     * the main loop and waits for the next full claim. After a failed round it backs off as the main loop does.
     */
    private void helperLoop(RelayRound helper) {
        Backoff backoff = new Backoff(properties.backoffInitial(), properties.backoffMax());
        while (running) {
            try {
                fullClaims.acquire();
            } catch (InterruptedException e) {
                return;
            }
            try {
                RelayRound.Result result;
                do {
                    result = helper.run();
                    if (result.retrying()) {
                        retriesMayWait = true;
                    }
                } while (running && result.more() && !result.acknowledged().isEmpty());
                backoff.reset();
            } catch (RelayRound.RoundFailed e) {
                metrics.roundFailed(e.failure);
                retriesMayWait = true;
                helperFailed(backoff, e.getMessage());
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                helperFailed(backoff, e.toString());
            }
            // the main loop's full claims during the streak: that work is done, not a streak more each
            fullClaims.drainPermits();
            wakeUp();
        }
    }

    private void helperFailed(Backoff backoff, String reason) {
        Duration pause = backoff.next();
        log.warn("A helper round of {} failed, pausing it {} ms: {}", properties.table(), pause.toMillis(), reason);
        pause(pause);
        fullClaims.drainPermits();
    }

    /**
     * Until the next poll, or sooner when a held-back or retrying row falls due before it: NOTIFY announces only new
     * rows, so nothing else would wake the relay for them.
     */
    private Duration idleWait() {
        Duration poll = properties.pollInterval();
        if (!retriesMayWait) {
            return poll;
        }
        Optional<Duration> due = repository.untilNextRetry();
        retriesMayWait = due.isPresent();
        // Not less than backoffInitial: a row already due that this round did not claim is held by another relay (or
        // waits behind its order's event in flight there), and asking again at once would only spin until it commits.
        Duration floor = properties.backoffInitial();
        return due.map(until -> until.compareTo(floor) < 0 ? floor : until)
                .filter(until -> until.compareTo(poll) < 0)
                .orElse(poll);
    }

    private void awaitWork(Duration timeout) {
        try {
            if (wakeUps.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeUps.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Exponential: each pause twice the last, up to the maximum, until a round publishes again. */
    static final class Backoff {

        private final Duration initial;
        private final Duration max;
        private Duration next;

        Backoff(Duration initial, Duration max) {
            this.initial = initial;
            this.max = max;
            this.next = initial;
        }

        Duration next() {
            Duration pause = next;
            next = next.multipliedBy(2).compareTo(max) <= 0 ? next.multipliedBy(2) : max;
            return pause;
        }

        void reset() {
            next = initial;
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        fullClaims.drainPermits();
        workers.add(new Thread(this::loop, "relay-" + properties.table()));
        for (int i = 0; i < helperRounds.size(); i++) {
            RelayRound helper = helperRounds.get(i);
            workers.add(new Thread(() -> helperLoop(helper), "relay-" + properties.table() + "-" + (i + 2)));
        }
        workers.forEach(Thread::start);
        log.info(
                "Relaying {} to {} (batch {}, poll {}, up to {} rounds in flight through a backlog)",
                properties.table(),
                properties.topic(),
                properties.batchSize(),
                properties.pollInterval(),
                properties.roundsInFlight());
    }

    /**
     * Stops at once: a round in flight is interrupted and rolls back, its rows stay unpublished for the next relay
     * (at worst a duplicate on the topic). Waiting out a slow Kafka here would only delay the shutdown.
     */
    @Override
    public synchronized void stop() {
        running = false;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.clear();
        producers.destroy();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
