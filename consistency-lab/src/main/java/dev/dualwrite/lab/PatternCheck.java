package dev.dualwrite.lab;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.stack.Suite;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One pattern alone under the lab's workload, optionally with one process killed (kill -9) a third of the way in and
 * restarted by the lab's supervisor; judged by the same verdict as {@code ./lab.sh run}. Exits 1 on any violation.
 *
 * <pre>./lab.sh check --pattern TRANSACTIONAL_OUTBOX --orders 1000 [--rate 100] [--kill outbox-poller-1] [--json FILE]</pre>
 */
public final class PatternCheck {

    private PatternCheck() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = LabCli.options(args);
        Writer writer = Writer.of(Pattern.valueOf(options.getOrDefault("pattern", "TRANSACTIONAL_OUTBOX")))
                .orElseThrow();
        int orders = Integer.parseInt(options.getOrDefault("orders", "1000"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "100"));
        String kill = options.get("kill");
        StackSettings settings = LabCli.settings();
        // The kill comes a third of the way into the workload.
        Duration step = Duration.ofMillis((long) (1000 * orders / rate / 3));
        LabRun lab =
                new LabRun(new NativeStack(settings), Suite.LAB, new FaultPlan(step, List.of()), System.out::println);
        LabReport report = lab.run(
                "check-" + UUID.randomUUID().toString().substring(0, 8),
                List.of(writer),
                orders,
                rate,
                kill == null ? List.of() : List.of(List.of(Faults.Planned.kill(kill))),
                Map.of(),
                Duration.ofSeconds(60),
                "./lab.sh check " + String.join(" ", args));
        options.putIfAbsent("report", "none");
        LabCli.publish(report, options, settings);
        System.exit(report.passed() ? 0 : 1);
    }
}
