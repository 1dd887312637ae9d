package dev.dualwrite.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Resident memory of a component: the proportional set size (PSS) of its process and all its descendants, read from
 * /proc. PSS splits shared pages between the processes that share them, so PostgreSQL's shared buffers are counted
 * once, not once per backend as a sum of RSS would.
 */
final class ResidentMemory {

    private ResidentMemory() {}

    static long megabytes(ProcessHandle process) {
        return Stream.concat(Stream.of(process), process.descendants())
                        .mapToLong(ResidentMemory::pssKilobytes)
                        .sum()
                / 1024;
    }

    private static long pssKilobytes(ProcessHandle process) {
        Path rollup = Path.of("/proc", Long.toString(process.pid()), "smaps_rollup");
        try (Stream<String> lines = Files.lines(rollup)) {
            return lines.filter(line -> line.startsWith("Pss:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
