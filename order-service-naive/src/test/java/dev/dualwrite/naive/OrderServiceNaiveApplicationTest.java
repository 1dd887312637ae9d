package dev.dualwrite.naive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.dualwrite.orders.OrderEventSink;
import dev.dualwrite.testsupport.NativeStackTest;

@SpringBootTest
@NativeStackTest
class OrderServiceNaiveApplicationTest {

    @Autowired
    OrderEventSink sink;

    @Test
    void publishesStraightToKafkaInsteadOfWritingAnEventRow() {
        assertThat(sink).isInstanceOf(NaiveKafkaPublisher.class);
    }
}
