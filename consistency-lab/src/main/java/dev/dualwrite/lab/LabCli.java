package dev.dualwrite.lab;

import dev.dualwrite.stack.StackSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** What the lab's commands share: options, the stack's settings, where reports go. */
final class LabCli {

    static final String PEERS_REPORT_MD = "docs/peers-consistency-report.md";

    static final String REPORT_MD = "docs/consistency-report.md";
    static final String MUTANTS_JSON = "docs/mutants.json";

    private LabCli() {}

    static StackSettings settings() {
        return StackSettings.fromEnvironment(
                StackSettings.findHome(Path.of(System.getProperty("dualwrite.home", "."))), System.getenv());
    }

    /** Prints the table and the fault timeline, writes the Markdown report and, with --json, the JSON. */
    static void publish(LabReport report, Map<String, String> options, StackSettings settings) throws IOException {
        System.out.println();
        System.out.print(report.table());
        System.out.println("faults:");
        System.out.print(report.faultTimeline());
        report.writers()
                .forEach((name, judged) -> judged.verdict().examples().stream()
                        .limit(3)
                        .forEach(example -> System.out.println("  " + name + ": " + example)));
        // a run with the peers has its own report: docs/consistency-report.md stays the patterns' own
        boolean peers = report.writers().keySet().stream().anyMatch(name -> name.startsWith("PEER_"));
        Path markdown = Path.of(options.getOrDefault(
                "report",
                settings.home().resolve(peers ? PEERS_REPORT_MD : REPORT_MD).toString()));
        if (!options.getOrDefault("report", "").equals("none")) {
            Files.createDirectories(markdown.toAbsolutePath().getParent());
            Files.writeString(markdown, report.markdown());
            System.out.println("report: " + markdown);
        }
        if (options.containsKey("json")) {
            Files.writeString(Path.of(options.get("json")), report.json());
            System.out.println("json: " + options.get("json"));
        }
        System.out.println("run " + report.run().runId() + ": history and record in "
                + LabRun.runDirectory(settings, report.run().runId()) + "; judge again with ./lab.sh verify --run "
                + report.run().runId());
        System.out.println(
                report.patternsHold()
                        ? "OK: the three patterns show no violation"
                        : "FAILED: a pattern shows a violation");
        System.out.println(
                report.run().allFaultsFired()
                        ? "OK: every planned fault fired"
                        : "FAILED: a planned fault did not fire");
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException(
                        "expected --name value pairs and --flags, got: " + String.join(" ", args));
            }
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(args[i].substring(2), flag ? "true" : args[++i]);
        }
        return options;
    }
}
