package dev.dualwrite.console;

import dev.dualwrite.stack.Application;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the console finds what it shows. The applications are the suite's manifest ({@code Suite}): each one at
 * {@code http://<application-host>:<port + application-port-offset>}.
 *
 * @param applicationHost the applications' host; {@code {name}} in it stands for the instance's name
 *                        ({@code outbox-poller-1}), which is what compose's network calls them
 * @param connectUrl    Kafka Connect's REST API
 * @param connector     the Debezium connector of the log-tailing route
 * @param slot          its replication slot, whose retained WAL the console shows
 * @param adminToken    the operator's token of the applications ({@code ADMIN_TOKEN}): redriving a parked row is an
 *                      admin operation of the pollers
 * @param history       how much of the past the charts show
 * @param scrapeTimeout how long one sample waits for an application, the broker or Connect: a process that does not
 *                      answer in time is shown as down rather than holding up the page
 */
@ConfigurationProperties("console")
public record ConsoleProperties(
        @DefaultValue("127.0.0.1") String applicationHost,
        @DefaultValue("0") int applicationPortOffset,
        @DefaultValue("http://127.0.0.1:8083") URI connectUrl,
        @DefaultValue("postgres-connector") String connector,
        @DefaultValue("dualwrite_outbox") String slot,
        String adminToken,
        @DefaultValue("5m") Duration history,
        @DefaultValue("700ms") Duration scrapeTimeout) {

    public ConsoleProperties {
        if (scrapeTimeout.compareTo(Duration.ofSeconds(1)) >= 0) {
            throw new IllegalArgumentException(
                    "console.scrape-timeout must stay under the one-second sample interval: " + scrapeTimeout);
        }
    }

    /** Where one of the suite's applications answers. */
    public URI url(Application application) {
        return URI.create("http://%s:%d"
                .formatted(
                        applicationHost.replace("{name}", application.name()),
                        application.port() + applicationPortOffset));
    }
}
