package dev.dualwrite.console.live;

import dev.dualwrite.console.ConsoleProperties;
import dev.dualwrite.stack.Application;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/**
 * Every application's Prometheus endpoint, scraped at once, each for the few metrics the console shows (Boot's
 * {@code includedNames}: a whole scrape of a Kafka client's application is 100-200 KB, and ten of them a second cost
 * these two cores more than the workload they watch). One that does not answer in time is down.
 */
@Component
class Scrapes {

    private final HttpClient http;
    private final ConsoleProperties properties;

    Scrapes(HttpClient http, ConsoleProperties properties) {
        this.http = http;
        this.properties = properties;
    }

    /** @param metrics per application, the metric families to scrape (Prometheus names, without suffixes) */
    Map<String, Optional<Scrape>> scrape(Map<Application, List<String>> metrics) {
        Map<String, CompletableFuture<Optional<Scrape>>> pending = new LinkedHashMap<>();
        for (Map.Entry<Application, List<String>> wanted : metrics.entrySet()) {
            Application application = wanted.getKey();
            HttpRequest request = HttpRequest.newBuilder(properties
                            .url(application)
                            .resolve("/actuator/prometheus?includedNames=" + String.join(",", wanted.getValue())))
                    .timeout(properties.scrapeTimeout())
                    .header("Accept", "text/plain;version=0.0.4")
                    .build();
            pending.put(
                    application.name(),
                    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                            .thenApply(response -> response.statusCode() == 200
                                    ? Optional.of(Scrape.parse(response.body()))
                                    : Optional.<Scrape>empty())
                            .exceptionally(failure -> Optional.empty()));
        }
        Map<String, Optional<Scrape>> scrapes = new LinkedHashMap<>();
        pending.forEach((name, scrape) -> scrapes.put(name, scrape.join()));
        return scrapes;
    }
}
