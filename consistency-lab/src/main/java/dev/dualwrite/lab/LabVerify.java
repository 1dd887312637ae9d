package dev.dualwrite.lab;

import dev.dualwrite.stack.StackSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * Judges a finished run again from its stored history and record, the database and the topics as they are now:
 * tamper with the data (an extra record produced with kcat, a deleted row) and the verdict changes.
 *
 * <pre>./lab.sh verify --run RUN_ID [--json FILE] [--report FILE|none]</pre>
 *
 * Exits 1 when one of the three patterns shows a violation.
 */
public final class LabVerify {

    private LabVerify() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = LabCli.options(args);
        String runId = options.get("run");
        if (runId == null) {
            System.err.println("usage: ./lab.sh verify --run RUN_ID [--json FILE] [--report FILE|none]");
            System.exit(2);
        }
        StackSettings settings = LabCli.settings();
        Path directory = LabRun.runDirectory(settings, runId);
        if (!LabRun.exists(directory)) {
            System.err.println(
                    "no run " + runId + " in " + directory.getParent() + " (./lab.sh run prints its run id)");
            System.exit(2);
        }
        LabReport report = LabRun.judge(settings, LabReport.Run.load(directory), History.read(directory));
        options.putIfAbsent("report", "none");
        LabCli.publish(report, options, settings);
        System.exit(report.patternsHold() ? 0 : 1);
    }
}
