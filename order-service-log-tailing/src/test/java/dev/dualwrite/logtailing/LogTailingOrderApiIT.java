package dev.dualwrite.logtailing;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.testsupport.OrderApiAcceptanceTest;
import dev.dualwrite.testsupport.TestStack;
import org.junit.jupiter.api.BeforeAll;

/** The order API on the real stack; the events are read from orders.log-tailing, where Debezium routes them. */
class LogTailingOrderApiIT extends OrderApiAcceptanceTest {

    @BeforeAll
    static void connectorRegistered() {
        TestStack.withConnect().connector().register();
    }

    @Override
    protected Pattern pattern() {
        return Pattern.TRANSACTIONAL_LOG_TAILING;
    }
}
