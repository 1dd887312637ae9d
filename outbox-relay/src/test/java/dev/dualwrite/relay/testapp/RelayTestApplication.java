package dev.dualwrite.relay.testapp;

import dev.dualwrite.relay.BatchObserver;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A bare application with one relay, as outbox-poller is; tests can make the relay fail between send and mark. */
@SpringBootApplication
public class RelayTestApplication {

    /** Set to a failure to make the next round fail after Kafka acknowledged and before the rows are marked. */
    public static final AtomicReference<RuntimeException> CRASH_AFTER_SEND = new AtomicReference<>();

    @Bean
    BatchObserver crashAfterSendWhenAsked() {
        return acknowledged -> {
            RuntimeException crash = CRASH_AFTER_SEND.getAndSet(null);
            if (crash != null && !acknowledged.isEmpty()) {
                throw crash;
            }
        };
    }
}
