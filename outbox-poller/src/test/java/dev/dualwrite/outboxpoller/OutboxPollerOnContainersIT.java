package dev.dualwrite.outboxpoller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.testsupport.ContainerStack;
import dev.dualwrite.testsupport.ContainerStackInitializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The outbox relay's scenario on the containers of docker-compose.yml's images, where Docker runs. */
@SpringBootTest
@Testcontainers(disabledWithoutDocker = true)
@ContextConfiguration(initializers = ContainerStackInitializer.class)
class OutboxPollerOnContainersIT {

    @Autowired
    JdbcClient jdbc;

    @Test
    void relaysACommittedOutboxRowToTheTopicAndMarksItPublished() {
        UUID event = UUID.randomUUID();
        String order = UUID.randomUUID().toString();
        jdbc.sql("""
                INSERT INTO outbox_events (id, aggregatetype, aggregateid, type, payload)
                VALUES (:id, 'Order', :order, 'OrderCreated', CAST(:payload AS jsonb))
                """)
                .param("id", event)
                .param("order", order)
                .param("payload", "{\"eventId\": \"%s\", \"orderId\": \"%s\", \"version\": 1}".formatted(event, order))
                .update();

        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        ContainerStack.postgresAndKafka().bootstrapServers(),
                        "group.id",
                        "probe-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Pattern.TRANSACTIONAL_OUTBOX.topic()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (order.equals(record.key())) {
                        records.add(record);
                    }
                });
                return !records.isEmpty();
            });
        }

        assertThat(records).hasSize(1);
        assertThat(new String(records.get(0).headers().lastHeader("id").value(), StandardCharsets.UTF_8))
                .isEqualTo(event.toString());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("SELECT published_at IS NOT NULL FROM outbox_events WHERE id = :id")
                        .param("id", event)
                        .query(Boolean.class)
                        .single());
    }
}
