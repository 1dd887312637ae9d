package dev.dualwrite.lty;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.testsupport.OrderApiAcceptanceTest;
import org.springframework.test.context.TestPropertySource;

/**
 * The order API on the real stack; the events are the rows of lty_events. Its own events are not consumed here (no
 * relay runs in this context, and the listener is kept from starting), so orders stay PENDING unless a client
 * cancels them: the self-confirmation is {@link ListenToYourselfIT}'s.
 */
@TestPropertySource(properties = "spring.kafka.listener.auto-startup=false")
class ListenToYourselfOrderApiIT extends OrderApiAcceptanceTest {

    @Override
    protected Pattern pattern() {
        return Pattern.LISTEN_TO_YOURSELF;
    }

    @Override
    protected boolean clientsConfirm() {
        return false;
    }
}
