package dev.dualwrite.debezium;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Debezium connector defined by a checked-in JSON file ({@code debezium/register-postgres.json}), registered with
 * the Connect worker idempotently ({@code PUT /connectors/<name>/config}), with the database settings of a stack put
 * in place of the file's defaults. Deleting it also drops its replication slot and publication, which would otherwise
 * keep WAL on the server forever. Used by the launcher ({@code connector.sh}, {@code start_all_services.sh}), the
 * tests and the benchmarks.
 */
public final class DebeziumConnector {

    /** The connector of the log-tailing pattern, relative to the repository root. */
    public static final String DEFINITION = "debezium/register-postgres.json";

    /**
     * Where the connector's parts are.
     *
     * @param connectUrl          the Kafka Connect worker's REST API
     * @param jdbcUrl             the database as this process reaches it (to drop the slot and publication)
     * @param workerDatabaseHost  the database host as the worker reaches it (e.g. {@code postgres} in a container
     *                            network)
     * @param connectLog          where to look when the connector does not run
     */
    public record Target(
            String connectUrl,
            String jdbcUrl,
            String workerDatabaseHost,
            int workerDatabasePort,
            String database,
            String username,
            String password,
            String connectLog) {}

    private final Target target;
    private final String name;
    private final Map<String, Object> config;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    public DebeziumConnector(Target target, Path definition) {
        this.target = target;
        JsonNode file = json.readTree(definition.toFile());
        this.name = file.get("name").asString();
        Map<String, Object> config = new LinkedHashMap<>();
        file.get("config")
                .properties()
                .forEach(entry -> config.put(entry.getKey(), entry.getValue().asString()));
        config.put("database.hostname", target.workerDatabaseHost());
        config.put("database.port", Integer.toString(target.workerDatabasePort()));
        config.put("database.dbname", target.database());
        config.put("database.user", target.username());
        config.put("database.password", target.password());
        this.config = config;
    }

    public String name() {
        return name;
    }

    public String slot() {
        return String.valueOf(config.get("slot.name"));
    }

    /** Creates or updates the connector, then waits until it and its task run. */
    public String register() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(config))));
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new ConnectorException(
                    "registering %s failed (%d): %s".formatted(name, response.statusCode(), response.body()));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long restartedAt = 0;
        String status = "";
        while (System.nanoTime() < deadline) {
            status = status();
            if (running(status)) {
                return response.statusCode() == 201 ? "registered" : "updated";
            }
            if (status.contains("\"FAILED\"")) {
                // A connector that failed under its old configuration (say, one this worker's policy refuses) shows
                // FAILED until restarted with the new one: restart it once, and give it a moment to come up.
                if (restartedAt == 0) {
                    send(HttpRequest.newBuilder(uri("/connectors/" + name + "/restart?includeTasks=true"))
                            .POST(HttpRequest.BodyPublishers.noBody()));
                    restartedAt = System.nanoTime();
                } else if (System.nanoTime() - restartedAt
                        > Duration.ofSeconds(10).toNanos()) {
                    break;
                }
            }
            pause(Duration.ofMillis(250));
        }
        throw new ConnectorException(
                "connector %s is not RUNNING: %s; read %s".formatted(name, status, target.connectLog()));
    }

    /** The worker's status document of the connector and its tasks, or the worker's answer if there is none. */
    public String status() {
        return send(HttpRequest.newBuilder(uri("/connectors/" + name + "/status"))
                        .GET())
                .body();
    }

    /**
     * Deletes the connector with its stored offsets, then its replication slot and publication. Without the offsets
     * reset (Connect keeps them per connector name), registering the name again would resume at a position of the
     * dropped slot and fail.
     */
    public String delete() throws SQLException {
        if (send(HttpRequest.newBuilder(uri("/connectors/" + name + "/stop")).PUT(HttpRequest.BodyPublishers.noBody()))
                        .statusCode()
                == 404) {
            // Not registered, but its offsets may outlive an earlier plain DELETE: create it stopped, to reset them.
            Map<String, Object> stopped = Map.of("name", name, "config", config, "initial_state", "STOPPED");
            send(HttpRequest.newBuilder(uri("/connectors"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(stopped))));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!json.readTree(status())
                        .path("connector")
                        .path("state")
                        .asString("")
                        .equals("STOPPED")
                && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(200));
        }
        HttpResponse<String> offsets = send(
                HttpRequest.newBuilder(uri("/connectors/" + name + "/offsets")).DELETE());
        if (offsets.statusCode() != 200) {
            throw new ConnectorException("resetting the offsets of %s failed (%d): %s"
                    .formatted(name, offsets.statusCode(), offsets.body()));
        }
        int status = send(HttpRequest.newBuilder(uri("/connectors/" + name)).DELETE())
                .statusCode();
        // The worker removes the connector asynchronously; its task must be gone before the slot can be dropped.
        long gone = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (send(HttpRequest.newBuilder(uri("/connectors/" + name + "/status"))
                                        .GET())
                                .statusCode()
                        != 404
                && System.nanoTime() < gone) {
            pause(Duration.ofMillis(200));
        }
        String publication = String.valueOf(config.get("publication.name"));
        try (Connection connection =
                DriverManager.getConnection(target.jdbcUrl(), target.username(), target.password())) {
            dropSlot(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP PUBLICATION IF EXISTS \"" + publication + "\"");
            }
        }
        return "%s %s; offsets reset, slot %s and publication %s dropped"
                .formatted(name, status == 204 ? "deleted" : "not deleted (" + status + ")", slot(), publication);
    }

    /** The slot stays active for a moment after the connector stopped; retry until PostgreSQL lets it go. */
    private void dropSlot(Connection connection) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (PreparedStatement drop = connection.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                drop.setString(1, slot());
                try (ResultSet ignored = drop.executeQuery()) {
                    return;
                }
            } catch (SQLException stillActive) {
                if (System.nanoTime() > deadline) {
                    throw stillActive;
                }
                pause(Duration.ofMillis(500));
            }
        }
    }

    private boolean running(String status) {
        JsonNode node = json.readTree(status);
        JsonNode tasks = node.path("tasks");
        boolean tasksRunning = tasks.size() > 0;
        for (JsonNode task : tasks) {
            tasksRunning &= "RUNNING".equals(task.path("state").asString(""));
        }
        return tasksRunning
                && "RUNNING".equals(node.path("connector").path("state").asString(""));
    }

    private URI uri(String path) {
        return URI.create(target.connectUrl() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConnectorException(
                    "Kafka Connect at %s is not reachable: %s".formatted(target.connectUrl(), e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("interrupted", e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("interrupted", e);
        }
    }

    /** The worker refused, or the connector did not reach RUNNING. */
    public static final class ConnectorException extends RuntimeException {

        ConnectorException(String message) {
            super(message);
        }

        ConnectorException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
