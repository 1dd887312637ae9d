package dev.dualwrite.bench;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.OrdersApi;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.stack.Suite;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/** The order services a benchmark drives, by the name the report uses, and the request each of them is sent. */
final class Services {

    static final String PLAIN_INSERT = "PLAIN_INSERT";

    private Services() {}

    /**
     * Report name → base URL, from the launcher's one list of applications (so port offsets are honoured); with
     * {@code peers}, the peers' first instances too (docs/peers.md).
     */
    static Map<String, String> writers(StackSettings settings, boolean peers) {
        Map<String, String> services = new LinkedHashMap<>();
        services.put(PLAIN_INSERT, Suite.PLAIN_INSERT.url(settings));
        services.putAll(patterns(settings, peers));
        services.put("NAIVE_DUAL_WRITE", Suite.NAIVE.service().url(settings));
        return services;
    }

    /**
     * The events a create owes through the writer named so: one, its OrderCreated — and for listen-to-yourself its
     * confirmation too, which the service derives from its own OrderCreated. So also the version an order of this
     * writer has once it is through.
     */
    static int eventsPerCreate(String writer) {
        return writer.equals(Pattern.LISTEN_TO_YOURSELF.name()) ? 2 : 1;
    }

    /** The three patterns' services, and with {@code peers} the peers' first instances. */
    static Map<String, String> patterns(StackSettings settings, boolean peers) {
        Map<String, String> services = new LinkedHashMap<>();
        Suite.PATTERNS.forEach(deployment ->
                services.put(deployment.pattern().name(), deployment.service().url(settings)));
        if (peers) {
            Suite.PEERS.forEach(deployment -> services.put(
                    deployment.pattern().name(), deployment.service().url(settings)));
        }
        return services;
    }

    /**
     * One client for every benchmark: HTTP/1.1 with kept-alive connections, as a load balancer in front of the
     * services would talk to them — Apache HttpClient's classic client, where the sending thread writes the request
     * and reads the answer on a pooled connection of its own. The JDK's HttpClient, used before, hands each request to
     * its selector thread and an executor and back: on this 2-core machine it cost twice the CPU per request (against
     * log tailing, the two clients' phases alternated in one JVM: 0.95 against 0.43 ms at 200/s, 0.61 against 0.25 at
     * 1,000/s), CPU the services under test then lacked.
     */
    private static final CloseableHttpClient HTTP = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(OpenLoop.CONNECTIONS)
                    .setMaxConnPerRoute(OpenLoop.CONNECTIONS)
                    .setDefaultConnectionConfig(ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.ofSeconds(2))
                            .setSocketTimeout(Timeout.ofSeconds(30))
                            // a service restarted between sections (tracing) left its kept-alive connections dead
                            .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                            .build())
                    .build())
            // a create is not idempotent without a key: a failed one is counted, never sent twice
            .disableAutomaticRetries()
            .build();

    /** Creates a one-item order, the same for every service; the answer's status, or -1 when none came. */
    static int createOrder(String baseUrl, String customerId) {
        HttpPost create = new HttpPost(baseUrl + "/api/orders");
        create.setEntity(new StringEntity(OrdersApi.createBody(customerId, "bench", 2), ContentType.APPLICATION_JSON));
        try {
            return HTTP.execute(create, response -> {
                EntityUtils.consume(response.getEntity());
                return response.getCode();
            });
        } catch (IOException e) {
            return -1;
        }
    }
}
