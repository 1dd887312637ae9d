package dev.dualwrite.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The results of one ./bench.sh invocation, and the Markdown, SVG and JSON made of them: a frame (command, targets,
 * environment) around the sections each benchmark renders from its records.
 */
final class BenchReport {

    private final String command;
    private final boolean quick;
    private final Map<String, Map<String, String>> environment;
    private final List<BenchSection> sections = new ArrayList<>();
    private Duration elapsed = Duration.ZERO;

    BenchReport(String command, boolean quick, Map<String, Map<String, String>> environment) {
        this.command = command;
        this.quick = quick;
        this.environment = environment;
    }

    void add(BenchSection section) {
        sections.add(section);
    }

    void elapsed(Duration elapsed) {
        this.elapsed = elapsed;
    }

    String json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("quick", quick);
        json.put("elapsedSeconds", elapsed.toSeconds());
        json.put("environment", environment);
        sections.forEach(section -> json.putAll(section.json()));
        return JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n";
    }

    String chart() {
        BarChart chart = new BarChart();
        sections.forEach(section -> section.chart(chart));
        return chart.svg();
    }

    String markdown(String chartFile) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Produced by `%s` in %d s%s. Every figure stands beside its baseline from the same invocation.\n\n"
                .formatted(
                        command,
                        elapsed.toSeconds(),
                        quick ? " — a QUICK run: short, for a look, not for quoting" : ""));
        md.append("![charts](%s)\n\n".formatted(chartFile));
        md.append("## Targets\n\n| target | measured | |\n|---|---|---|\n");
        sections.stream()
                .flatMap(section -> section.targets().stream())
                .forEach(target -> md.append("| %s | %s | %s |%n"
                        .formatted(target.target(), target.measured(), target.met() ? "met" : "**missed**")));
        md.append("\n");
        sections.forEach(section -> md.append(section.markdown()));
        md.append("## Environment\n\nRead from the running stack. Applications run with the launcher's JVM flags "
                + "(APP_JAVA_OPTS overrides); the whole suite (PostgreSQL, Kafka, Connect, ten applications with the naive "
                + "service and the plain-insert baseline, fourteen with the peers' two instances each, and the benchmark "
                + "client) shares the machine.\n\n");
        environment.forEach((section, values) -> {
            md.append("- **%s**: ".formatted(section));
            md.append(String.join(
                    "; ",
                    values.entrySet().stream()
                            .map(e -> e.getKey() + " `" + e.getValue() + "`")
                            .toList()));
            md.append("\n");
        });
        return md.toString();
    }
}
