package dev.dualwrite.logtailing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.testsupport.ContainerStack;
import dev.dualwrite.testsupport.ContainerStackInitializer;
import dev.dualwrite.testsupport.RestProbe;
import java.net.http.HttpResponse;
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
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link LogTailingIT}'s main scenario on containers where Docker runs: the Debezium image's Connect worker, with
 * debezium/register-postgres.json registered as docker-compose.yml's one-shot registers it, routes the service's
 * create, confirm and cancel to the topic in version order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Testcontainers(disabledWithoutDocker = true)
@ContextConfiguration(initializers = ContainerStackInitializer.class)
class LogTailingOnContainersIT {

    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void createConfirmAndCancelArriveInOrderThroughTheDebeziumImage() throws Exception {
        ContainerStack stack = ContainerStack.withConnect();
        stack.registerConnector();

        HttpResponse<String> created = post("/api/orders", """
                {"customerId": "c-cdc", "currency": "EUR", "items": [{"sku": "lamp", "quantity": 3, "unitPrice": 19.99}]}
                """);
        assertThat(created.statusCode()).isEqualTo(201);
        String id = json.readTree(created.body()).get("id").asString();
        assertThat(post("/api/orders/" + id + "/confirm", "").statusCode()).isEqualTo(200);
        assertThat(post("/api/orders/" + id + "/cancel", "").statusCode()).isEqualTo(200);

        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        stack.bootstrapServers(),
                        "group.id",
                        "probe-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Pattern.TRANSACTIONAL_LOG_TAILING.topic()));
            // the connector's first start takes a while: creating the slot and publication, then streaming
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (id.equals(record.key())) {
                        records.add(record);
                    }
                });
                return records.size() >= 3;
            });
        }

        assertThat(records)
                .extracting(
                        record -> json.readTree(record.value()).get("version").asInt())
                .containsExactly(1, 2, 3);
        assertThat(records)
                .extracting(record ->
                        new String(record.headers().lastHeader("eventType").value(), StandardCharsets.UTF_8))
                .containsExactly("OrderCreated", "OrderConfirmed", "OrderCancelled");
        JsonNode first = json.readTree(records.get(0).value());
        assertThat(first.get("pattern").asString()).isEqualTo("TRANSACTIONAL_LOG_TAILING");
        assertThat(first.get("order").get("totalAmount").decimalValue()).isEqualByComparingTo("59.97");
    }

    private HttpResponse<String> post(String path, String body) {
        return RestProbe.at(port).post(path, body);
    }
}
