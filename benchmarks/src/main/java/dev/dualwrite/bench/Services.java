package dev.dualwrite.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.StackSettings;

/** The order services a benchmark drives, by the name the report uses, and the request each of them is sent. */
final class Services {

    static final String PLAIN_INSERT = "PLAIN_INSERT";

    private Services() {
    }

    /** Report name → base URL, from the launcher's one list of applications (so port offsets are honoured). */
    static Map<String, String> writers(StackSettings settings) {
        Map<String, String> services = new LinkedHashMap<>();
        services.put(PLAIN_INSERT, Application.PLAIN_INSERT.url(settings));
        services.putAll(patterns(settings));
        services.put("NAIVE_DUAL_WRITE", Application.NAIVE.url(settings));
        return services;
    }

    /** The three patterns' services. */
    static Map<String, String> patterns(StackSettings settings) {
        Map<String, String> services = new LinkedHashMap<>();
        services.put("TRANSACTIONAL_OUTBOX", url(settings, "order-service-outbox"));
        services.put("LISTEN_TO_YOURSELF", url(settings, "order-service-listen-to-yourself"));
        services.put("TRANSACTIONAL_LOG_TAILING", url(settings, "order-service-log-tailing"));
        return services;
    }

    private static String url(StackSettings settings, String name) {
        return Application.ALL.stream().filter(application -> application.name().equals(name)).findFirst()
                .orElseThrow().url(settings);
    }

    /**
     * One client for every benchmark: HTTP/1.1 with kept-alive connections, as a load balancer in front of the
     * services would talk to them.
     */
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newFixedThreadPool(8)).build();

    /** A one-item order, the same for every service. */
    static HttpRequest createOrder(String baseUrl, String customerId) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/api/orders"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"customerId": "%s", "currency": "EUR", "items": [{"sku": "bench", "quantity": 2, "unitPrice": 9.95}]}
                        """.formatted(customerId))).build();
    }
}
