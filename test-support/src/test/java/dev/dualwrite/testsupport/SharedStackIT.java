package dev.dualwrite.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.StackSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SharedStackIT {

    @Test
    void postgresRunsWithLogicalWalAndKeepsWhatIsWritten() throws Exception {
        StackSettings settings = TestStack.postgresAndKafka().settings();
        try (Connection connection =
                        DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password());
                Statement statement = connection.createStatement()) {
            ResultSet walLevel = statement.executeQuery("SHOW wal_level");
            walLevel.next();
            assertThat(walLevel.getString(1)).isEqualTo("logical");

            statement.execute("CREATE TABLE IF NOT EXISTS stack_probe (id uuid PRIMARY KEY, note text)");
            UUID id = UUID.randomUUID();
            statement.execute("INSERT INTO stack_probe VALUES ('" + id + "', 'written')");
            ResultSet row = statement.executeQuery("SELECT note FROM stack_probe WHERE id = '" + id + "'");
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("written");
        }
    }

    @Test
    void brokerRoundTripsARecordThroughAContractTopicOfThreePartitions() throws Exception {
        StackSettings settings = TestStack.postgresAndKafka().settings();
        String topic = Pattern.TRANSACTIONAL_OUTBOX.topic();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers()))) {
            TopicDescription description =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions()).hasSize(3);
            assertThat(admin.listTopics().names().get()).containsAll(Pattern.allTopics());
        }

        String key = UUID.randomUUID().toString();
        RecordMetadata sent;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", settings.bootstrapServers(), "acks", "all"),
                new StringSerializer(),
                new StringSerializer())) {
            sent = producer.send(new ProducerRecord<>(topic, key, "{\"probe\":true}"))
                    .get();
        }

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        settings.bootstrapServers(),
                        "group.id",
                        "probe-" + key,
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.stream().noneMatch(record -> key.equals(record.key())) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
            assertThat(received)
                    .filteredOn(record -> key.equals(record.key()))
                    .singleElement()
                    .satisfies(record -> {
                        assertThat(record.value()).isEqualTo("{\"probe\":true}");
                        assertThat(record.partition()).isEqualTo(sent.partition());
                        assertThat(record.offset()).isEqualTo(sent.offset());
                    });
        }
    }

    @Test
    void startingAgainLeavesTheRunningProcessesAlone() {
        var stack = TestStack.postgresAndKafka();
        List<String> pidsBefore = pids(stack.status(List.of()));
        List<String> reports = new ArrayList<>();

        stack.startPostgres(reports::add);
        stack.startKafka(reports::add);

        assertThat(reports).hasSize(2).allSatisfy(line -> assertThat(line).contains("already running"));
        assertThat(pids(stack.status(List.of()))).isEqualTo(pidsBefore).hasSize(2);
    }

    private static List<String> pids(List<String> statusLines) {
        return statusLines.stream()
                .map(line -> java.util.regex.Pattern.compile("pid (\\d+)").matcher(line))
                .filter(Matcher::find)
                .map(matcher -> matcher.group(1))
                .toList();
    }
}
