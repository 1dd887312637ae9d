package dev.dualwrite.lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Waits, after the workload, until the run's own data has settled — never on rows of other runs: for each writer, its
 * unpublished relay rows, its confirmations still owed (listen to yourself) and its orders whose downstream view is
 * behind. A parked row is reported as a finding and not waited for. It gives up when nothing moved for
 * {@code stall}: what is still outstanding then is for the verdict to report. Prints progress with an ETA.
 */
final class Settling {

    private static final String UNCONFIRMED = """
            SELECT count(*) FROM orders WHERE starts_with(customer_id, ?) AND status = 'PENDING'
            """;

    private static final String DOWNSTREAM_BEHIND = """
            SELECT count(*) FROM orders o LEFT JOIN consumed_orders c ON c.order_id = o.id
             WHERE starts_with(o.customer_id, ?)
               AND (c.order_id IS NULL OR c.version <> o.version OR c.status <> o.status)
            """;

    private final RunReader reader;
    private final Consumer<String> out;

    Settling(RunReader reader, Consumer<String> out) {
        this.reader = reader;
        this.out = out;
    }

    /** Outstanding work of one writer. */
    record Outstanding(long unpublished, long parked, long unconfirmed, long behind) {
        long total() {
            return unpublished + unconfirmed + behind;
        }
    }

    void await(String runId, List<Writer> writers, Duration stall) throws SQLException, InterruptedException {
        long started = System.nanoTime();
        long lastChange = started;
        long lastReport = 0;
        String last = "";
        Deque<long[]> recent = new ArrayDeque<>();
        while (true) {
            long reliable = 0;
            StringBuilder line = new StringBuilder();
            for (Writer writer : writers) {
                Outstanding outstanding = outstanding(runId, writer);
                if (writer.settles()) {
                    reliable += outstanding.total();
                }
                line.append(" %s %d unpublished%s, %d unconfirmed, %d behind downstream;"
                        .formatted(
                                writer.name().toLowerCase(),
                                outstanding.unpublished(),
                                outstanding.parked() > 0
                                        ? " (+%d PARKED: a finding, not waited for)".formatted(outstanding.parked())
                                        : "",
                                outstanding.unconfirmed(),
                                outstanding.behind()));
            }
            long now = System.nanoTime();
            if (!line.toString().equals(last)) {
                lastChange = now;
                last = line.toString();
            }
            recent.addLast(new long[] {now, reliable});
            while (now - recent.peekFirst()[0] > 10_000_000_000L) {
                recent.removeFirst();
            }
            boolean quiet = now - lastChange >= 4_000_000_000L;
            if (reliable == 0 && quiet) {
                out.accept("  settled after %.0f s:%s".formatted((now - started) / 1e9, line));
                return;
            }
            if (now - lastChange >= stall.toNanos()) {
                out.accept("  nothing moved for %d s, judging as it is:%s".formatted(stall.toSeconds(), line));
                return;
            }
            if (now - lastReport >= 10_000_000_000L) {
                lastReport = now;
                out.accept("  settling %.0f s:%s %s".formatted((now - started) / 1e9, line, eta(recent, reliable)));
            }
            Thread.sleep(1000);
        }
    }

    /** The time left at the pace of the last ten seconds. */
    private static String eta(Deque<long[]> recent, long remaining) {
        long[] first = recent.peekFirst();
        long[] last = recent.peekLast();
        double seconds = (last[0] - first[0]) / 1e9;
        double pace = seconds <= 0 ? 0 : (first[1] - last[1]) / seconds;
        return pace <= 0 ? "ETA unknown" : "ETA %.0f s".formatted(remaining / pace);
    }

    Outstanding outstanding(String runId, Writer writer) throws SQLException {
        String prefix = writer.customerPrefix(runId);
        try (Connection connection = reader.connect()) {
            long unpublished = 0;
            long parked = 0;
            if (writer.unpublishedQuery() != null) {
                try (PreparedStatement query = connection.prepareStatement(writer.unpublishedQuery())) {
                    query.setString(1, prefix);
                    try (ResultSet rows = query.executeQuery()) {
                        rows.next();
                        unpublished = rows.getLong(1);
                        parked = rows.getLong(2);
                    }
                }
            }
            long unconfirmed = writer.selfConfirming() ? count(connection, UNCONFIRMED, prefix) : 0;
            return new Outstanding(unpublished, parked, unconfirmed, count(connection, DOWNSTREAM_BEHIND, prefix));
        }
    }

    private static long count(Connection connection, String sql, String prefix) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, prefix);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
