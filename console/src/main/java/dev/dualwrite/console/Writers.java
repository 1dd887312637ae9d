package dev.dualwrite.console;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Suite;
import java.util.List;
import java.util.Optional;

/**
 * What the console puts side by side: the three patterns and the naive dual write (commit, then publish). The peers
 * (docs/peers.md) are not among them: their tables and publishers are their libraries'.
 */
public final class Writers {

    public static final List<Suite.Deployment> ALL =
            List.of(Suite.OUTBOX, Suite.LISTEN_TO_YOURSELF, Suite.LOG_TAILING, Suite.NAIVE);

    private Writers() {}

    public static Suite.Deployment of(Pattern pattern) {
        return find(pattern).orElseThrow(() -> new IllegalArgumentException("no writer of pattern " + pattern));
    }

    public static Optional<Suite.Deployment> find(Pattern pattern) {
        return ALL.stream().filter(writer -> writer.pattern() == pattern).findFirst();
    }
}
