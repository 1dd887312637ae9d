package dev.dualwrite.relay;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * LISTENs on the channel named after the outbox table (the order services NOTIFY it after commits that wrote rows:
 * order-service-core's RelayWakeUp) and wakes the relay. If the connection is lost, the relay still polls at its
 * interval while this reconnects.
 */
public class RelayNotifications implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RelayNotifications.class);
    private static final int WAIT_MILLIS = 500;

    private final DataSource dataSource;
    private final String channel;
    private final OutboxRelay relay;
    private volatile boolean running;
    private Thread listener;

    public RelayNotifications(DataSource dataSource, String channel, OutboxRelay relay) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.relay = relay;
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                statement.execute("LISTEN " + channel);
                PGConnection postgres = connection.unwrap(PGConnection.class);
                log.info("Listening for notifications on {}", channel);
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        relay.wakeUp();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    log.warn("Lost the notification connection ({}); polling only until it is back", e.getMessage());
                    pause();
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        listener = new Thread(this::listen, "relay-listen-" + channel);
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
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
