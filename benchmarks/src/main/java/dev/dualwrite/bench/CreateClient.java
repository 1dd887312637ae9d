package dev.dualwrite.bench;

import dev.dualwrite.stack.OrdersApi;
import java.io.IOException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The benchmarks' one HTTP client: HTTP/1.1 with kept-alive connections, as a load balancer in front of the services
 * would talk to them — Apache HttpClient's classic client, where the sending thread writes the request and reads the
 * answer on a pooled connection of its own. The JDK's HttpClient, used before, hands each request to its selector
 * thread and an executor and back: on this 2-core machine it cost twice the CPU per request (against log tailing, the
 * two clients' phases alternated in one JVM: 0.95 against 0.43 ms at 200/s, 0.61 against 0.25 at 1,000/s), CPU the
 * services under test then lacked.
 */
final class CreateClient {

    private static final CloseableHttpClient HTTP = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    // one load runs at a time; at the pool's limit, idle connections to other services are closed
                    .setMaxConnTotal(OpenLoop.CONNECTIONS)
                    .setMaxConnPerRoute(OpenLoop.CONNECTIONS)
                    .setDefaultConnectionConfig(ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.ofSeconds(2))
                            .setSocketTimeout(Timeout.ofSeconds(30))
                            // a service restarted between sections (tracing) left its kept-alive connections dead
                            .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                            .build())
                    .build())
            // a create is not idempotent without a key: a failed one is counted, never sent twice (HttpClient 5
            // retries a 503 or 429 whatever the method)
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableContentCompression()
            .build();

    private CreateClient() {}

    /**
     * {@code POST /api/orders} of a one-item order, the same for every service; the answer's status (its body read
     * and dropped), or -1 when none came.
     */
    static int createOrder(String baseUrl, String customerId) {
        HttpPost create = new HttpPost(OrdersApi.createUri(baseUrl));
        create.setEntity(new StringEntity(OrdersApi.createBody(customerId, "bench", 2), ContentType.APPLICATION_JSON));
        try {
            return HTTP.execute(create, response -> response.getCode());
        } catch (IOException e) {
            return -1;
        }
    }
}
