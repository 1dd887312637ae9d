package dev.dualwrite.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.OrdersApi;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.stack.Suite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Every metric an alert rule or a Grafana panel of compose's monitoring reads is one the running applications expose:
 * the whole suite is scraped as Prometheus would, after each kind of traffic that makes a meter appear (an order
 * through every service, a record order-consumer must dead-letter).
 */
class MonitoringIT {

    private static final HttpClient HTTP = OrdersApi.client();

    @Test
    void everyMetricTheAlertsAndDashboardsReadIsOneTheRunningApplicationsExpose() throws Exception {
        StackSettings settings = RunningSuite.started().settings();
        for (Suite.Deployment writer : Writers.ALL) {
            HttpResponse<String> created = HTTP.send(
                    OrdersApi.create(
                            writer.service().url(settings), "c-monitoring", "SKU-1", 1, null, Duration.ofSeconds(30)),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(writer.pattern().name()).isEqualTo(201);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", settings.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            Suite.OUTBOX.topic(),
                            "monitoring-not-an-event",
                            "not json".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        Set<String> wanted = new TreeSet<>();
        Monitoring.queries().forEach(query -> wanted.addAll(Monitoring.metricNames(query)));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(exposed(settings)).containsAll(wanted));
    }

    private static Set<String> exposed(StackSettings settings) throws Exception {
        Set<String> names = new TreeSet<>();
        for (Application application : Suite.STANDING) {
            HttpResponse<String> scrape = HTTP.send(
                    HttpRequest.newBuilder(URI.create(application.url(settings) + "/actuator/prometheus"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).as(application.name()).isEqualTo(200);
            scrape.body()
                    .lines()
                    .filter(line -> !line.startsWith("#") && !line.isBlank())
                    .map(line -> line.split("[{ ]", 2)[0])
                    .forEach(names::add);
        }
        return names;
    }
}
