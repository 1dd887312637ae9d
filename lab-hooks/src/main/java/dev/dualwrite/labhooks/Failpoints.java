package dev.dualwrite.labhooks;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named moments where a crash matters. {@link #hit} does nothing unless the lab armed that name; then, on the armed
 * hit, it logs one line (the lab's evidence that the fault fired) and halts the JVM at once with exit status 137, as
 * kill -9 would: nothing after that line runs, no shutdown hook, no flush, no commit.
 */
public class Failpoints {

    /** An order service: a create's transaction committed, nothing after it ran (the naive publish, say). */
    public static final String NAIVE_AFTER_COMMIT_BEFORE_PUBLISH = "naive.after-commit-before-publish";
    /** An order service: a create's event was handed to its sink (naive: sent to Kafka), the order not committed. */
    public static final String NAIVE_AFTER_PUBLISH_BEFORE_COMMIT = "naive.after-publish-before-commit";
    /** A relay: Kafka acknowledged the batch, the rows are not marked published. */
    public static final String RELAY_AFTER_SEND_BEFORE_MARK = "relay.after-send-before-mark";
    /** A relay: the first half of a batch is handed to the producer (for one row: before its send). */
    public static final String RELAY_MID_BATCH = "relay.mid-batch";
    /** A consumer: the effect is committed, the offset is not. */
    public static final String CONSUMER_AFTER_EFFECT_BEFORE_OFFSET = "consumer.after-effect-before-offset";
    /** A peer: the broker acknowledged a record, the library has not recorded that it was sent (PeerHooks). */
    public static final String PEER_AFTER_ACK_BEFORE_MARK = "peer.after-ack-before-mark";
    /** The event-row-after-commit mutant: the order committed, its event row not yet written. */
    public static final String ORDER_AFTER_COMMIT_BEFORE_EVENT_ROW = "order.after-commit-before-event-row";

    public static final List<String> NAMES = List.of(
            NAIVE_AFTER_COMMIT_BEFORE_PUBLISH,
            NAIVE_AFTER_PUBLISH_BEFORE_COMMIT,
            RELAY_AFTER_SEND_BEFORE_MARK,
            RELAY_MID_BATCH,
            CONSUMER_AFTER_EFFECT_BEFORE_OFFSET,
            PEER_AFTER_ACK_BEFORE_MARK,
            ORDER_AFTER_COMMIT_BEFORE_EVENT_ROW);

    /** The line a failpoint logs before it halts, with the failpoint's name and the pid. */
    public static String firedLine(String name, long pid) {
        return "FAILPOINT %s reached in pid %d: halting this JVM now".formatted(name, pid);
    }

    private static final Logger log = LoggerFactory.getLogger(Failpoints.class);

    private final Map<String, AtomicInteger> armed = new ConcurrentHashMap<>();

    public void hit(String name) {
        AtomicInteger remaining = armed.get(name);
        if (remaining != null && remaining.decrementAndGet() == 0) {
            log.error(firedLine(name, ProcessHandle.current().pid()));
            Runtime.getRuntime().halt(137);
        }
    }

    /** Halts on the {@code afterHits}-th hit of {@code name} from now. */
    void arm(String name, int afterHits) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no failpoint " + name + "; known: " + NAMES);
        }
        if (afterHits < 1) {
            throw new IllegalArgumentException("afterHits must be at least 1, was " + afterHits);
        }
        armed.put(name, new AtomicInteger(afterHits));
    }

    void disarm(String name) {
        armed.remove(name);
    }

    Map<String, Integer> armed() {
        Map<String, Integer> view = new TreeMap<>();
        armed.forEach((name, remaining) -> view.put(name, remaining.get()));
        return view;
    }
}
