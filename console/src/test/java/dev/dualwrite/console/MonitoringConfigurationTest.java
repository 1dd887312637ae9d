package dev.dualwrite.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.Suite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Compose's Prometheus cannot run here (no Docker engine), so its configuration is checked against the suite's
 * manifest: it scrapes every application at the name and port the manifest gives it (compose's network knows each by
 * that name), and every rule and panel reads some metric. That the applications expose those metrics is MonitoringIT's.
 */
class MonitoringConfigurationTest {

    @Test
    void prometheusScrapesEveryApplicationOfTheStandingSuiteAtItsNameAndPort() {
        Set<String> targets = new TreeSet<>();
        for (Map<String, Object> job : Monitoring.list(
                Monitoring.yaml(Monitoring.DIRECTORY.resolve("prometheus.yml")).get("scrape_configs"))) {
            assertThat(job.get("metrics_path"))
                    .as(job.get("job_name").toString())
                    .isEqualTo("/actuator/prometheus");
            for (Map<String, Object> config : Monitoring.list(job.get("static_configs"))) {
                @SuppressWarnings("unchecked")
                List<String> hosts = (List<String>) config.get("targets");
                targets.addAll(hosts);
            }
        }

        assertThat(targets)
                .containsExactlyInAnyOrderElementsOf(Suite.STANDING.stream()
                        .map(application -> application.name() + ":" + application.port())
                        .toList());
    }

    @Test
    void composeGivesEveryPollerTheNameTheManifestGivesIt() {
        String compose = read("docker-compose.yml");
        Stream.of(Suite.OUTBOX, Suite.LISTEN_TO_YOURSELF)
                .flatMap(pattern -> pattern.relays().stream())
                .map(Application::name)
                .forEach(name -> assertThat(compose).contains("aliases: [" + name + "]"));
    }

    @Test
    void everyRuleAndPanelReadsAMetric() {
        List<String> queries = Monitoring.queries();

        assertThat(queries).hasSizeGreaterThan(20);
        assertThat(queries)
                .filteredOn(query -> !query.startsWith("up "))
                .allSatisfy(query ->
                        assertThat(Monitoring.metricNames(query)).as(query).isNotEmpty());
        assertThat(
                        Monitoring.metricNames(
                                "histogram_quantile(0.99, sum by (le) (rate(consumer_end_to_end_latency_seconds_bucket{pattern=\"X\"}[1m])))"))
                .containsExactly("consumer_end_to_end_latency_seconds_bucket");
    }

    private static String read(String file) {
        try {
            return Files.readString(Monitoring.HOME.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
