package dev.dualwrite.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two instruments of the CPU-per-order benchmark, on this very JVM. */
class CpuMeasurementTest {

    @Test
    void theCpuOfAProcessGrowsByAboutTheTimeItSpentComputing() {
        long pid = ProcessHandle.current().pid();
        double before = ProcessCpu.seconds(pid);

        burn(Duration.ofMillis(500));

        assertThat(ProcessCpu.seconds(pid) - before).isGreaterThanOrEqualTo(0.4);
    }

    @Test
    void aProfileNamesTheMethodAndTheLibraryThatTookTheSamples(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("burn.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            burn(Duration.ofSeconds(1));
            recording.stop();
            recording.dump(file);
        }
        assertThat(Files.size(file)).isPositive();

        assertThat(JfrProfile.topFrames(file, 3))
                .first()
                .satisfies(top -> assertThat(top.method())
                        .as("the computing method, or the one the JIT inlined it into")
                        .isIn(
                                CpuMeasurementTest.class.getName() + ".spin",
                                CpuMeasurementTest.class.getName() + ".burn"));
        assertThat(JfrProfile.topLibraries(file, 3)).first().satisfies(top -> {
            assertThat(top.method()).isEqualTo("dev.dualwrite.bench");
            assertThat(top.percent()).isGreaterThan(50);
        });
    }

    @Test
    void librariesAreThreePackageLevelsAndTheJdksTwo() {
        assertThat(JfrProfile.library("org.hibernate.event.internal.DefaultMergeEventListener"))
                .isEqualTo("org.hibernate.event");
        assertThat(JfrProfile.library("java.util.HashMap")).isEqualTo("java.util");
        assertThat(JfrProfile.library("tools.jackson.core.json.UTF8StreamJsonParser"))
                .isEqualTo("tools.jackson.core");
    }

    private static long sink;

    private static void burn(Duration length) {
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            sink += spin(sink);
        }
    }

    private static long spin(long seed) {
        long x = seed;
        for (int i = 0; i < 100_000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }
}
