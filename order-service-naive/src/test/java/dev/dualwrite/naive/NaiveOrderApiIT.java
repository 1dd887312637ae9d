package dev.dualwrite.naive;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.testsupport.OrderApiAcceptanceTest;

/** The anti-pattern keeps the same API; its events are sent straight to orders.naive-dual-write after the commit. */
class NaiveOrderApiIT extends OrderApiAcceptanceTest {

    @Override
    protected Pattern pattern() {
        return Pattern.NAIVE_DUAL_WRITE;
    }
}
