package dev.dualwrite.console.live;

import dev.dualwrite.console.ConsoleProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Debezium connector's state and its task's, as Kafka Connect's REST API reports them; also the gauge
 * {@code console.connector.running} (1 when both run), which Prometheus's ConnectorNotRunning alert reads (Connect has
 * no metrics endpoint of its own in this suite).
 */
@Component
class ConnectView {

    record Status(String connector, String task) {

        boolean running() {
            return connector.equals("RUNNING") && task.equals("RUNNING");
        }
    }

    /**
     * A gauge reading older than this asks Connect again (the sampler reads every second, but rests unwatched): under
     * the 5-second scrape interval of monitoring/prometheus.yml, so that every scrape of a resting console reads anew.
     */
    private static final long FRESH_MILLIS = 4_000;

    private final HttpClient http;
    private final ObjectMapper json;
    private final ConsoleProperties properties;
    private volatile boolean running;
    private volatile long readAt;

    ConnectView(HttpClient http, ObjectMapper json, ConsoleProperties properties, MeterRegistry meters) {
        this.http = http;
        this.json = json;
        this.properties = properties;
        // read at scrape time when the sampler has not read it lately: an alert must not see a resting console's past
        Gauge.builder("console.connector.running", this, view -> view.runningNow() ? 1 : 0)
                .description("1 while the Debezium connector and its task are RUNNING, as the console last read them")
                .tag("connector", properties.connector())
                .register(meters);
    }

    /** Reads the status, and keeps whether it runs for the gauge. */
    Optional<Status> status() {
        Optional<Status> status = read();
        running = status.map(Status::running).orElse(false);
        readAt = System.currentTimeMillis();
        return status;
    }

    /** One read at a time: concurrent scrapes share it rather than each asking Connect, the slower one last. */
    private synchronized boolean runningNow() {
        if (System.currentTimeMillis() - readAt > FRESH_MILLIS) {
            status();
        }
        return running;
    }

    /**
     * Empty when Connect does not answer; "UNREGISTERED" when it answers that it has no such connector (the log-tailing
     * route then carries nothing: {@code debezium/connector.sh register}).
     */
    private Optional<Status> read() {
        HttpRequest request = HttpRequest.newBuilder(
                        properties.connectUrl().resolve("/connectors/" + properties.connector() + "/status"))
                .timeout(properties.scrapeTimeout())
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return Optional.of(new Status("UNREGISTERED", "NONE"));
            }
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode status = json.readTree(response.body());
            JsonNode tasks = status.path("tasks");
            return Optional.of(new Status(
                    status.path("connector").path("state").asString("UNKNOWN"),
                    tasks.isEmpty() ? "NONE" : tasks.get(0).path("state").asString("UNKNOWN")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
