package dev.dualwrite.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * A migration that has been released is never edited, not even a comment: Flyway refuses to start an application on a
 * database where its checksum differs ("Migration checksum mismatch"). A change is a new migration. A new migration
 * is added to this list when it is released.
 */
class AppliedMigrationsTest {

    private static final Map<String, String> RELEASED = Map.of(
            "V1__orders_events_and_idempotency.sql", "420f254518172f59570e4d067ec9572450032744a0a81cf0e27bd917b2e5148a",
            "V2__relay_notifications_and_order_index.sql",
                    "ab86aa3a5505daa011c6788b8220337cf0108d499ab5c3c161cd43a1c720aa80",
            "V3__debezium_heartbeat.sql", "d2f238e67cbd33734927a2aa4e685b1006c79a69159afccf54fbdb37be08f3b2",
            "V4__lab_effect_log.sql", "1e83241f438264b59e7606a03e85aebaf485a1e978ee099913379b67c26384d0",
            "V5__relay_row_retry_and_idempotency_retention.sql",
                    "017d7dfdbaaf3a1b29bcff171fbc16fab0d3c62456ae2ce3ce1dfd3e9dc5b926",
            "V6__relay_wake_up_outside_the_commit.sql",
                    "c7c4f1832a78d58e6565af0a285e59d9432dfe243e11209f39f2f3a11d4c32f7",
            "V7__trace_context_of_events.sql", "8febf6e281bf5a5398096ac6379b990450096aaf42611e4ec800ac526a65ef15",
            "V8__peer_contenders.sql", "22cf5e27301ebe69a50c6257bd4433aa17e950e38e1ee4d309ed25109844fa6f",
            "V9__cdc_publication_without_deletes.sql",
                    "3a7317065068b27af29c4d2e4a13b8e40cdda1995f4c91b7a6919f953bd97307");

    @Test
    void releasedMigrationsAreUnchangedToTheByte() throws IOException, NoSuchAlgorithmException {
        Map<String, String> found = new TreeMap<>();
        for (Resource migration :
                new PathMatchingResourcePatternResolver().getResources("classpath:db/migration/*.sql")) {
            try (InputStream in = migration.getInputStream()) {
                found.put(
                        migration.getFilename(),
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
            }
        }

        assertThat(found).containsAllEntriesOf(RELEASED);
    }
}
