package dev.dualwrite.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OrderBodiesTest {

    @Test
    void theSameSeedGivesTheSameBodiesSoThatAFailureCanBeReplayed() {
        List<String> first = OrderBodies.sample(200, 42);

        assertThat(OrderBodies.sample(200, 42)).isEqualTo(first);
        assertThat(OrderBodies.sample(200, 43)).isNotEqualTo(first);
    }

    @Test
    void theBodiesMixValidOrdersWithHostileOnes() {
        List<String> bodies = OrderBodies.sample(500, 7);

        assertThat(bodies).anyMatch(body -> body.startsWith("{\"customerId\": ") && body.endsWith("]}"));
        assertThat(bodies).anyMatch(body -> body.contains("\\u0000") || body.contains("\\ud800"));
        assertThat(bodies).anyMatch(body -> !body.endsWith("]}"));
    }
}
