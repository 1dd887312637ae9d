package dev.dualwrite.outboxpoller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;

import dev.dualwrite.relay.OutboxRelay;
import dev.dualwrite.relay.RelayProperties;
import dev.dualwrite.testsupport.NativeStackTest;

@SpringBootTest
@NativeStackTest
class OutboxPollerApplicationTest {

    @Autowired
    HealthEndpoint health;

    @Autowired
    RelayProperties relay;

    @Autowired
    OutboxRelay running;

    @Test
    void relaysOutboxEventsToItsTopicAndReportsHealthUp() {
        assertThat(relay.table()).isEqualTo("outbox_events");
        assertThat(relay.topic()).isEqualTo("orders.transactional-outbox");
        assertThat(running.isRunning()).isTrue();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }
}
