package dev.dualwrite.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * The order API of docs/DESIGN.md as the suite's own clients call it — the lab's writers, its warm-up and the
 * benchmarks: one way to build the requests (the benchmarks send theirs with a client of their own, from
 * {@link #createUri} and {@link #createBody}).
 */
public final class OrdersApi {

    private OrdersApi() {}

    /** HTTP/1.1 with kept-alive connections, as a load balancer in front of the services would talk to them. */
    public static HttpClient client() {
        return builder().build();
    }

    /** ... whose asynchronous sends complete on the given executor. */
    public static HttpClient client(Executor executor) {
        return builder().executor(executor).build();
    }

    private static HttpClient.Builder builder() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2));
    }

    /**
     * {@code POST /api/orders}: one line of {@code quantity} × 9.95 of {@code sku}.
     *
     * @param idempotencyKey the Idempotency-Key header, or null for none
     */
    public static HttpRequest create(
            String baseUrl, String customerId, String sku, int quantity, String idempotencyKey, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(createUri(baseUrl)))
                .header("Content-Type", "application/json")
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(createBody(customerId, sku, quantity)));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.build();
    }

    /** Where {@link #create} posts. */
    public static String createUri(String baseUrl) {
        return baseUrl + "/api/orders";
    }

    /** The JSON body of {@link #create}: one line of {@code quantity} × 9.95 of {@code sku}. */
    public static String createBody(String customerId, String sku, int quantity) {
        return """
                {"customerId": "%s", "currency": "EUR", "items": [{"sku": "%s", "quantity": %d, "unitPrice": 9.95}]}
                """.formatted(customerId, sku, quantity);
    }

    /** {@code POST /api/orders/{id}/confirm} or {@code .../cancel}. */
    public static HttpRequest change(String baseUrl, UUID orderId, String action, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/api/orders/" + orderId + "/" + action))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
    }
}
