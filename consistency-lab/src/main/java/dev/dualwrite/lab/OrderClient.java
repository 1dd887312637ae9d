package dev.dualwrite.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

/**
 * A client of one order service's REST API, as a careful client would be: a create is retried with the same
 * Idempotency-Key until the service answers, so a retry never creates a second order.
 */
final class OrderClient {

    private static final int ATTEMPTS = 20;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String baseUrl;

    OrderClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Creates an order and returns its id. */
    UUID create(String customerId) {
        String body = """
                {"customerId": "%s", "currency": "EUR",
                 "items": [{"sku": "lab-item", "quantity": 2, "unitPrice": 9.95}]}
                """.formatted(customerId);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/orders"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "lab-" + UUID.randomUUID())
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = send(request, 201);
        return UUID.fromString(json.readTree(response.body()).get("id").asString());
    }

    /** Confirms or cancels; a 409 (the lifecycle forbids it, e.g. after a retried success) counts as done. */
    void change(UUID id, String action) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/orders/" + id + "/" + action))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        send(request, 200);
    }

    private HttpResponse<String> send(HttpRequest request, int expected) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == expected || (expected == 200 && response.statusCode() == 409)) {
                    return response;
                }
                if (response.statusCode() < 500) {
                    throw new IllegalStateException("%s %s answered %d: %s".formatted(request.method(), request.uri(),
                            response.statusCode(), response.body()));
                }
                last = new IllegalStateException("answered " + response.statusCode());
            } catch (IOException e) {
                last = new IllegalStateException(e.toString(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            pause(Duration.ofMillis(250L * attempt));
        }
        throw new IllegalStateException("%s %s failed %d times: %s".formatted(request.method(), request.uri(),
                ATTEMPTS, last == null ? "" : last.getMessage()), last);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
