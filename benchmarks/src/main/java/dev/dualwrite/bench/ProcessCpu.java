package dev.dualwrite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU a process has used, from Linux's {@code /proc/<pid>/stat}: user and system time of the process and of its
 * live children, plus what its reaped children used (PostgreSQL's backends are the postmaster's children; one that
 * exits is counted in the postmaster's cutime/cstime once reaped).
 */
final class ProcessCpu {

    /** Clock ticks per second of the stat file's times (USER_HZ: 100 on Linux, for every architecture we run on). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {}

    /** CPU seconds of the process tree rooted at {@code pid} (itself and its direct children). */
    static double seconds(long pid) {
        long[] own = stat(pid);
        if (own == null) {
            throw new IllegalStateException("process " + pid + " is gone");
        }
        long ticks = own[1] + own[2] + own[3] + own[4];
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes
                    .filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                long[] child = stat(Long.parseLong(process.getFileName().toString()));
                if (child != null && child[0] == pid) {
                    ticks += child[1] + child[2];
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc", e);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** CPU seconds of the process itself (no children); NaN once it is gone. */
    static double ownSeconds(long pid) {
        long[] own = stat(pid);
        return own == null ? Double.NaN : (own[1] + own[2]) / TICKS_PER_SECOND;
    }

    /** ppid, utime, stime, cutime, cstime; null if the process is gone. */
    private static long[] stat(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException gone) {
            return null;
        }
        // The command name is in parentheses and may hold spaces: fields are counted after its closing one.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {
            Long.parseLong(fields[1]),
            Long.parseLong(fields[11]),
            Long.parseLong(fields[12]),
            Long.parseLong(fields[13]),
            Long.parseLong(fields[14])
        };
    }
}
