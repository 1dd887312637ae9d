package dev.dualwrite.failpoints;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named moments where a crash matters. {@link #hit} does nothing unless the lab armed that name; then, on the armed
 * hit, it halts the JVM at once with exit status 137, as kill -9 would: nothing after that line runs, no shutdown
 * hook, no flush, no commit.
 */
public class Failpoints {

    /** The naive service: the order is committed, the event not yet sent. */
    public static final String NAIVE_AFTER_COMMIT_BEFORE_PUBLISH = "naive.after-commit-before-publish";
    /** The naive service in send-then-commit mode: the event is on Kafka, the order not yet committed. */
    public static final String NAIVE_AFTER_PUBLISH_BEFORE_COMMIT = "naive.after-publish-before-commit";
    /** A relay: Kafka acknowledged the batch, the rows are not marked published. */
    public static final String RELAY_AFTER_SEND_BEFORE_MARK = "relay.after-send-before-mark";
    /** A relay: half of a batch is sent. */
    public static final String RELAY_MID_BATCH = "relay.mid-batch";
    /** A consumer: the effect is committed, the offset is not. */
    public static final String CONSUMER_AFTER_EFFECT_BEFORE_OFFSET = "consumer.after-effect-before-offset";

    private static final Logger log = LoggerFactory.getLogger(Failpoints.class);

    private final boolean armable;
    private final Map<String, AtomicInteger> armed = new ConcurrentHashMap<>();

    /** Failpoints that can never be armed: what every application has outside the lab profile. */
    public static Failpoints disabled() {
        return new Failpoints(false);
    }

    static Failpoints armable() {
        return new Failpoints(true);
    }

    private Failpoints(boolean armable) {
        this.armable = armable;
    }

    public void hit(String name) {
        if (!armable) {
            return;
        }
        AtomicInteger remaining = armed.get(name);
        if (remaining != null && remaining.decrementAndGet() == 0) {
            log.error("FAILPOINT {} reached: halting this JVM now", name);
            Runtime.getRuntime().halt(137);
        }
    }

    /** Halts on the {@code afterHits}-th hit of {@code name} from now. */
    void arm(String name, int afterHits) {
        armed.put(name, new AtomicInteger(afterHits));
    }

    void disarm(String name) {
        armed.remove(name);
    }

    Map<String, Integer> armed() {
        Map<String, Integer> view = new ConcurrentHashMap<>();
        armed.forEach((name, remaining) -> view.put(name, remaining.get()));
        return view;
    }
}
