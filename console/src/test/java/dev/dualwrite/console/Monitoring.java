package dev.dualwrite.console;

import dev.dualwrite.stack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What compose's Prometheus and Grafana are given (monitoring/): the jobs, and the queries of rules and panels. */
final class Monitoring {

    static final Path HOME = StackSettings.findHome(Path.of("").toAbsolutePath());
    static final Path DIRECTORY = HOME.resolve("monitoring");

    /**
     * PromQL's own words (functions, aggregations and their modifiers) and Prometheus's own series ({@code up}: whether
     * a scrape succeeded), which no application exposes.
     */
    private static final Set<String> PROMQL = Set.of(
            "sum",
            "max",
            "min",
            "avg",
            "count",
            "rate",
            "irate",
            "increase",
            "histogram_quantile",
            "by",
            "without",
            "on",
            "ignoring",
            "and",
            "or",
            "unless",
            "absent",
            "le",
            "up");

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private Monitoring() {}

    /** Every PromQL expression of the alert rules and of the dashboards' panels. */
    static List<String> queries() {
        List<String> queries = new ArrayList<>();
        for (Map<String, Object> group :
                list(yaml(DIRECTORY.resolve("alerts.yml")).get("groups"))) {
            for (Map<String, Object> rule : list(group.get("rules"))) {
                queries.add((String) rule.get("expr"));
            }
        }
        JsonMapper json = JsonMapper.builder().build();
        for (Path dashboard : dashboards()) {
            for (JsonNode panel : json.readTree(read(dashboard)).path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(target.path("expr").asString());
                }
            }
        }
        return queries;
    }

    /** The metric names a PromQL expression reads: label matchers, ranges, grouping and strings taken out first. */
    static Set<String> metricNames(String query) {
        String bare = query.replaceAll("\"[^\"]*\"", "")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifiers = IDENTIFIER.matcher(bare);
        while (identifiers.find()) {
            if (!PROMQL.contains(identifiers.group())) {
                names.add(identifiers.group());
            }
        }
        return names;
    }

    static List<Path> dashboards() {
        try (Stream<Path> files = Files.list(DIRECTORY.resolve("grafana/dashboards"))) {
            return files.filter(file -> file.toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> yaml(Path file) {
        return new Yaml().load(read(file));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object node) {
        return (List<Map<String, Object>>) node;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
