package dev.dualwrite.peers.modulith;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.testsupport.OrderApiAcceptanceTest;

/**
 * The peer keeps the same API as our patterns: an order and its event publication commit together (a refused
 * publication insert leaves no order), every change's event reaches orders.peer-modulith with the contract's key,
 * headers and value.
 */
class ModulithOrderApiIT extends OrderApiAcceptanceTest {

    @Override
    protected Pattern pattern() {
        return Pattern.PEER_MODULITH;
    }
}
