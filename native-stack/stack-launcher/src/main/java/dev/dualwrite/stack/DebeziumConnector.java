package dev.dualwrite.stack;

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
 * the Connect worker idempotently ({@code PUT /connectors/<name>/config}), with the database settings of this stack
 * put in place of the file's defaults. Deleting it also drops its replication slot and publication, which would
 * otherwise keep WAL on the server forever.
 */
public final class DebeziumConnector {

    private final StackSettings settings;
    private final String name;
    private final Map<String, Object> config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    public DebeziumConnector(StackSettings settings, Path definition) {
        this(settings, definition, settings.host(), settings.postgresPort());
    }

    /**
     * For a Connect worker that reaches the database at another address than this process does, e.g. {@code postgres:5432}
     * inside a container network.
     */
    public DebeziumConnector(StackSettings settings, Path definition, String workerDatabaseHost, int workerDatabasePort) {
        this.settings = settings;
        JsonNode file = json.readTree(definition.toFile());
        this.name = file.get("name").asString();
        Map<String, Object> config = new LinkedHashMap<>();
        file.get("config").properties().forEach(entry -> config.put(entry.getKey(), entry.getValue().asString()));
        config.put("database.hostname", workerDatabaseHost);
        config.put("database.port", Integer.toString(workerDatabasePort));
        config.put("database.dbname", settings.database());
        config.put("database.user", settings.username());
        config.put("database.password", settings.password());
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
            throw new StackException("registering %s failed (%d): %s".formatted(name, response.statusCode(), response.body()));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = status();
            if (running(status)) {
                return response.statusCode() == 201 ? "registered" : "updated";
            }
            if (status.contains("\"FAILED\"")) {
                break;
            }
            ManagedProcess.pause(Duration.ofMillis(250));
        }
        throw new StackException("connector %s is not RUNNING: %s; read %s".formatted(name, status,
                settings.logDir().resolve("connect.log")));
    }

    /** The worker's status document of the connector and its tasks, or the worker's answer if there is none. */
    public String status() {
        return send(HttpRequest.newBuilder(uri("/connectors/" + name + "/status")).GET()).body();
    }

    /**
     * Deletes the connector with its stored offsets, then its replication slot and publication. Without the offsets
     * reset (Connect keeps them per connector name), registering the name again would resume at a position of the
     * dropped slot and fail.
     */
    public String delete() throws SQLException {
        if (send(HttpRequest.newBuilder(uri("/connectors/" + name + "/stop")).PUT(HttpRequest.BodyPublishers.noBody()))
                .statusCode() == 404) {
            // Not registered, but its offsets may outlive an earlier plain DELETE: create it stopped, to reset them.
            Map<String, Object> stopped = Map.of("name", name, "config", config, "initial_state", "STOPPED");
            send(HttpRequest.newBuilder(uri("/connectors")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(stopped))));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!json.readTree(status()).path("connector").path("state").asString("").equals("STOPPED")
                && System.nanoTime() < deadline) {
            ManagedProcess.pause(Duration.ofMillis(200));
        }
        HttpResponse<String> offsets = send(HttpRequest.newBuilder(uri("/connectors/" + name + "/offsets")).DELETE());
        if (offsets.statusCode() != 200) {
            throw new StackException("resetting the offsets of %s failed (%d): %s".formatted(name,
                    offsets.statusCode(), offsets.body()));
        }
        int status = send(HttpRequest.newBuilder(uri("/connectors/" + name)).DELETE()).statusCode();
        // The worker removes the connector asynchronously; its task must be gone before the slot can be dropped.
        long gone = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (send(HttpRequest.newBuilder(uri("/connectors/" + name + "/status")).GET()).statusCode() != 404
                && System.nanoTime() < gone) {
            ManagedProcess.pause(Duration.ofMillis(200));
        }
        String publication = String.valueOf(config.get("publication.name"));
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password())) {
            dropSlot(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP PUBLICATION IF EXISTS \"" + publication + "\"");
            }
        }
        return "%s %s; offsets reset, slot %s and publication %s dropped".formatted(name,
                status == 204 ? "deleted" : "not deleted (" + status + ")",
                slot(), publication);
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
                ManagedProcess.pause(Duration.ofMillis(500));
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
        return tasksRunning && "RUNNING".equals(node.path("connector").path("state").asString(""));
    }

    private URI uri(String path) {
        return URI.create(settings.connectUrl() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StackException("Kafka Connect at %s is not reachable: %s".formatted(settings.connectUrl(), e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }
}
