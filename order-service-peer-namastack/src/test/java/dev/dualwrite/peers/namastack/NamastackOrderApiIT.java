package dev.dualwrite.peers.namastack;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.testsupport.OrderApiAcceptanceTest;

/**
 * The peer keeps the same API as our patterns: an order and its namastack outbox record commit together (a refused
 * record insert leaves no order), every change's event reaches orders.peer-namastack with the contract's key, headers
 * and value.
 */
class NamastackOrderApiIT extends OrderApiAcceptanceTest {

    @Override
    protected Pattern pattern() {
        return Pattern.PEER_NAMASTACK;
    }
}
