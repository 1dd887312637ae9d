package dev.dualwrite.relay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * LISTENs on the channel named after the outbox table (the order services NOTIFY it after commits that wrote rows:
 * order-service-core's RelayWakeUp) and wakes the relay — in one relay of the table at a time.
 *
 * <p>Every relay woken by a NOTIFY claims, and all but one claim nothing: with two relays each event cost two rounds,
 * and the empty one as much CPU (relay, Kafka client, PostgreSQL backend) as the one that published (measured: two
 * outbox pollers at 100 orders/s, 0.75 ms per order each; one alone, 0.76). So the relay that holds a session advisory
 * lock named after the table listens; the others poll at their interval (and claim again at once after a full batch,
 * so under a backlog they all work) and try for the lock at every poll. The lock goes with its connection: a relay that
 * dies or loses PostgreSQL frees it, and another takes over within a poll interval. Claims never depend on it:
 * {@code FOR UPDATE SKIP LOCKED} keeps any number of relays safe together.
 *
 * <p>If the connection is lost, the relay still polls at its interval while this reconnects.
 */
public class RelayNotifications implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RelayNotifications.class);
    private static final int WAIT_MILLIS = 500;

    /** How often the listener makes sure its connection still answers (a half-open one would keep the lock). */
    private static final int CHECK_EVERY_WAITS = 10;

    /** One key per table; the first argument keeps it apart from other users of advisory locks (Flyway's). */
    private static final String TRY_LEAD = "SELECT pg_try_advisory_lock(hashtext('dualwrite.relay'), hashtext(?))";

    private final DataSource dataSource;
    private final String channel;
    private final OutboxRelay relay;
    private final Duration retryInterval;
    private volatile boolean running;
    private volatile boolean listening;
    private final Object pauses = new Object();
    /** Guards {@code listening} against a listener of an earlier start still taking its leave. */
    private final Object state = new Object();

    private volatile Thread listener;

    /**
     * @param retryInterval how often a relay that does not listen tries to take over (its poll interval: it finds
     *                      rows the listener missed at that pace anyway)
     */
    public RelayNotifications(
            DataSource dataSource, String channel, OutboxRelay relay, Duration retryInterval, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.relay = relay;
        this.retryInterval = retryInterval;
        Gauge.builder("relay.listening", () -> listening ? 1 : 0)
                .description("1 if this relay is the one of its table that LISTENs for NOTIFY; the others poll")
                .tag("table", channel)
                .register(meters);
    }

    /** Whether this relay is the one woken by NOTIFY (the others of its table poll). */
    public boolean listening() {
        return listening;
    }

    /** This thread is the listener of the current start (one that outlived an earlier stop ends). */
    private boolean current() {
        return running && Thread.currentThread() == listener;
    }

    private void listen() {
        while (current()) {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                try {
                    if (awaitLead(connection)) {
                        listen(connection, statement);
                    }
                } finally {
                    synchronized (state) {
                        Thread self = listener;
                        if (self == null || self == Thread.currentThread()) { // not a newer start's state to clear
                            setListening(false);
                        }
                    }
                    giveUp(connection, statement);
                }
            } catch (SQLException e) {
                if (current()) {
                    log.warn("Lost the notification connection ({}); polling only until it is back", e.getMessage());
                    pause(Duration.ofSeconds(1));
                }
            }
        }
    }

    private void listen(Connection connection, Statement statement) throws SQLException {
        statement.execute("LISTEN " + channel);
        synchronized (state) {
            if (!current()) {
                return; // stopped meanwhile, perhaps started again: not this thread's state to set
            }
            setListening(true);
        }
        PGConnection postgres = connection.unwrap(PGConnection.class);
        log.info(
                "Listening for notifications on {} (this relay is woken by NOTIFY; the table's other relays poll)",
                channel);
        // Rows may have come while another relay was taking its leave: look once now.
        relay.wakeUp();
        for (int waits = 1; current(); waits++) {
            PGNotification[] notifications = postgres.getNotifications(WAIT_MILLIS);
            if (notifications != null && notifications.length > 0) {
                relay.wakeUp();
            }
            // Waiting for notifications sends nothing: a connection whose peer is gone without a word (a host crash, a
            // partition) would look alive here while PostgreSQL keeps its session, and the lock, for hours.
            if (waits % CHECK_EVERY_WAITS == 0 && !connection.isValid(2)) {
                // closed here, so that giving up the lead fails at once instead of waiting on a silent peer
                connection.abort(Runnable::run);
                throw new SQLException("the notification connection stopped answering");
            }
        }
    }

    /**
     * The connection goes back to its pool, which keeps the session: give up the lead and the LISTEN, or no relay could
     * lead again while the session idles in the pool.
     */
    private static void giveUp(Connection connection, Statement statement) {
        try {
            statement.execute("UNLISTEN *; SELECT pg_advisory_unlock_all()");
        } catch (SQLException failed) {
            // The session may be gone, and its lock and LISTEN with it; if not, it must not go back to the pool.
            try {
                connection.abort(Runnable::run);
            } catch (SQLException alreadyGone) {
                // nothing left to give up
            }
        }
    }

    /** Waits until this relay holds the table's lock; false if stopped first. */
    private boolean awaitLead(Connection connection) throws SQLException {
        boolean announced = false;
        try (PreparedStatement tryLead = connection.prepareStatement(TRY_LEAD)) {
            tryLead.setString(1, channel);
            while (current()) {
                try (ResultSet result = tryLead.executeQuery()) {
                    if (result.next() && result.getBoolean(1)) {
                        return true;
                    }
                }
                if (!announced) {
                    log.info(
                            "Another relay listens on {}; this one polls every {} ms and takes over if it goes",
                            channel,
                            retryInterval.toMillis());
                    announced = true;
                }
                pause(retryInterval);
            }
        }
        return false;
    }

    /** Sleeps, or less if stopped meanwhile. */
    private void pause(Duration duration) {
        synchronized (pauses) {
            if (!current()) {
                return;
            }
            try {
                pauses.wait(Math.max(1, duration.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void start() {
        synchronized (state) {
            running = true;
            // A listener of an earlier start may still be taking its leave (stop() waits only so long): this start
            // has not led yet.
            setListening(false);
            listener = new Thread(this::listen, "relay-listen-" + channel);
        }
        listener.setDaemon(true);
        listener.start();
    }

    private void setListening(boolean leads) {
        listening = leads;
        relay.wokenByNotify(leads);
    }

    @Override
    public synchronized void stop() {
        running = false;
        synchronized (pauses) {
            pauses.notifyAll();
        }
        if (listener != null) {
            try {
                listener.join(2 * WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            listener = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
