package dev.dualwrite.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.testsupport.NativeStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest
@NativeStackTest
class OrderConsumerApplicationIT {

    @Autowired
    HealthEndpoint health;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void startsOnTheSharedSchemaAndReportsHealthUp() {
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM orders", Integer.class))
                .isNotNull();
    }
}
