package dev.dualwrite.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.testsupport.OrderApiAcceptanceTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.beans.factory.annotation.Autowired;

/** The order API on the real stack; the events are the rows of outbox_events. */
class OutboxOrderApiIT extends OrderApiAcceptanceTest {

    @Autowired
    DataSource dataSource;

    @Override
    protected Pattern pattern() {
        return Pattern.TRANSACTIONAL_OUTBOX;
    }

    @Test
    void wakesTheRelaysOnceTheOrderAndItsEventHaveCommitted() throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("LISTEN outbox_events");
            PGConnection postgres = connection.unwrap(PGConnection.class);
            postgres.getNotifications(100);

            var response = post("/api/orders", VALID.formatted("wake-up-" + UUID.randomUUID()), Map.of());

            assertThat(response.statusCode()).isEqualTo(201);
            // No trigger NOTIFYs any more (V6): only the service's RelayWakeUp can send this.
            List<PGNotification> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                PGNotification[] notifications = postgres.getNotifications(100);
                if (notifications != null) {
                    received.addAll(List.of(notifications));
                }
                return !received.isEmpty();
            });
            assertThat(received).extracting(PGNotification::getName).contains("outbox_events");
            statement.execute("UNLISTEN *"); // the connection goes back to the pool: not as a listener
        }
    }
}
