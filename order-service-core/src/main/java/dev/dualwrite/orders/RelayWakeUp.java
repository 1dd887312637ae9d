package dev.dualwrite.orders;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes the relays of an event table (they LISTEN on a channel named after it) once rows have committed to it — without
 * a NOTIFY inside the order's transaction. PostgreSQL makes every transaction that has notified take one global lock
 * at commit, so a notifying trigger serialises the commits of all order services (pgbench on our PostgreSQL, 32
 * clients, one 400-byte insert per transaction: 10.7k tps without such a trigger, 3.3k with it). Here a commit that
 * wrote an event only raises a flag; one thread of the service sends the NOTIFY in a transaction of its own: at once
 * when the flag was down, and at most once per {@code minInterval} under load — a woken relay claims every row
 * committed before its claim (and claims again at once while batches come back full), so more wake-ups would only
 * cost. A wake-up lost to a crash costs at most the relay's poll
 * interval: the row is committed, and the relay polls (so does one whose NOTIFY failed, until the next commit).
 */
public class RelayWakeUp implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RelayWakeUp.class);

    private final JdbcClient jdbc;
    private final String channel;
    private final Duration minInterval;
    private final AtomicBoolean flagged = new AtomicBoolean();
    private final Semaphore due = new Semaphore(0);
    private volatile boolean running;
    private Thread notifier;

    public RelayWakeUp(JdbcClient jdbc, String channel, Duration minInterval) {
        this.jdbc = jdbc;
        this.channel = channel;
        this.minInterval = minInterval;
    }

    /** Wakes the relays after the current transaction commits (at once when there is none); nothing on rollback. */
    public void afterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    flag();
                }
            });
        } else {
            flag();
        }
    }

    private void flag() {
        if (flagged.compareAndSet(false, true)) {
            due.release();
        }
    }

    private void notifyWhileRunning() {
        while (running) {
            try {
                if (!due.tryAcquire(500, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                // Lowered before the NOTIFY: a commit after this point raises it again and gets a NOTIFY of its own.
                flagged.set(false);
                jdbc.sql("SELECT pg_notify(:channel, '')")
                        .param("channel", channel)
                        .query()
                        .singleValue();
                Thread.sleep(minInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The relays still poll; the next commit tries again.
                log.debug("Could not wake the relays of {}: {}", channel, e.getMessage());
            }
        }
    }

    @Override
    public void start() {
        running = true;
        notifier = new Thread(this::notifyWhileRunning, "relay-wake-up-" + channel);
        notifier.setDaemon(true);
        notifier.start();
    }

    @Override
    public void stop() {
        running = false;
        if (notifier != null) {
            notifier.interrupt();
            notifier = null;
        }
    }

    /**
     * Early in, late out: running before the web server and the listeners take work, and until they have drained
     * (graceful shutdown), so the commits of the last requests still wake the relays.
     */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
