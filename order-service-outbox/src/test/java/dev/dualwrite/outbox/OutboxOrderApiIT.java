package dev.dualwrite.outbox;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.testsupport.OrderApiAcceptanceTest;

/** The order API on the real stack; the events are the rows of outbox_events. */
class OutboxOrderApiIT extends OrderApiAcceptanceTest {

    @Override
    protected Pattern pattern() {
        return Pattern.TRANSACTIONAL_OUTBOX;
    }
}
