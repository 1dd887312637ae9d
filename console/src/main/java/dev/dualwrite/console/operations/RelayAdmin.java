package dev.dualwrite.console.operations;

import dev.dualwrite.console.ConsoleProperties;
import dev.dualwrite.stack.Application;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The relays' admin API (docs/DESIGN.md: {@code /api/relay/parked}), called with the operator's token: listing and
 * redriving parked rows stays the relay's one implementation. Any instance of a pattern's relay serves its table.
 */
@Component
class RelayAdmin {

    private final HttpClient http;
    private final ConsoleProperties properties;

    RelayAdmin(HttpClient http, ConsoleProperties properties) {
        this.http = http;
        this.properties = properties;
    }

    /** The answer of the first relay that answers; empty when none does. */
    Optional<HttpResponse<String>> call(List<Application> relays, String method, String path)
            throws InterruptedException {
        for (Application relay : relays) {
            HttpRequest request = HttpRequest.newBuilder(properties.url(relay).resolve(path))
                    .header(
                            "Authorization",
                            "Bearer " + (properties.adminToken() == null ? "" : properties.adminToken()))
                    .timeout(Duration.ofSeconds(5))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .build();
            try {
                return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
            } catch (IOException down) {
                // the next instance, if there is one
            }
        }
        return Optional.empty();
    }
}
