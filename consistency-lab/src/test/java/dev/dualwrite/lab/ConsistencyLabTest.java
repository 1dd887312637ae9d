package dev.dualwrite.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.testsupport.TestStack;

/**
 * The CI-sized lab: every application as its own process (the jars the build just made) on a private stack, a few
 * hundred orders per pattern, one fault of each kind — armed failpoints, a kill -9, a Kafka broker kill and restart,
 * a PostgreSQL crash and restart.
 */
class ConsistencyLabTest {

    @Test
    @Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
    void theThreePatternsLoseNothingUnderEveryKindOfFaultWhileTheNaiveDualWriteDoes() throws Exception {
        StackSettings settings = TestStack.withConnect().settings().withApplications(freeApplicationPorts(), "lab");
        NativeStack stack = new NativeStack(settings);
        LabRun lab = new LabRun(stack, Application.WITH_NAIVE, Duration.ofSeconds(8), List.of("outbox-poller-2"));
        try {
            LabRun.LabResult result = lab.run(150, Set.copyOf(LabRun.FAULT_KINDS), 30);
            System.out.println(result.table());

            for (Pattern pattern : List.of(Pattern.TRANSACTIONAL_OUTBOX, Pattern.LISTEN_TO_YOURSELF,
                    Pattern.TRANSACTIONAL_LOG_TAILING)) {
                LabRun.PatternResult outcome = result.patterns().get(pattern);
                assertThat(outcome.verdict().committed()).as("%s committed", pattern).isPositive();
                assertThat(outcome.verdict().lost()).as("%s lost", pattern).isZero();
                assertThat(outcome.verdict().phantom()).as("%s phantom", pattern).isZero();
                assertThat(outcome.verdict().reorders()).as("%s reorders", pattern).isZero();
                assertThat(outcome.duplicateEffects()).as("%s duplicate effects", pattern).isZero();
                assertThat(outcome.mismatches()).as("%s downstream mismatches", pattern).isZero();
            }
            LabRun.PatternResult naive = result.patterns().get(Pattern.NAIVE_DUAL_WRITE);
            assertThat(naive.verdict().lost() + naive.verdict().phantom())
                    .as("the naive dual write loses the event of the order its failpoint halted after the commit")
                    .isPositive();
            assertThat(result.patternsHold()).isTrue();
            assertThat(result.restarts()).containsKeys("kafka", "postgres", "outbox-poller-2", "order-service-naive");
        } finally {
            stack.stopApplications(Application.WITH_NAIVE, line -> { });
        }
    }

    /** An offset that moves every application port of the contract (8081–8094) onto free ports. */
    private static int freeApplicationPorts() throws Exception {
        for (int offset = 30000; offset < 50000; offset += 100) {
            int base = offset;
            if (Application.WITH_NAIVE.stream().allMatch(app -> free(app.port() + base))) {
                return offset;
            }
        }
        throw new IllegalStateException("no free range for the application ports");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
