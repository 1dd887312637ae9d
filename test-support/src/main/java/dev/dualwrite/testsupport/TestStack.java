package dev.dualwrite.testsupport;

import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.stack.Suite;
import java.nio.file.Path;

/**
 * The real infrastructure of one test JVM, started on first use on free ports under {@code target/test-stack}:
 * PostgreSQL (wal_level=logical), then a Kafka broker, then a Kafka Connect worker with Debezium, each only when a
 * test asks for it. Everything is ended (killed: test data is thrown away) when the JVM exits; what a crashed earlier
 * run left behind is ended before starting again.
 */
public final class TestStack {

    private static NativeStack stack;
    private static boolean kafkaStarted;
    private static boolean connectStarted;
    private static boolean zipkinStarted;

    private TestStack() {}

    public static synchronized NativeStack postgres() {
        if (stack == null) {
            Path runDir = Path.of("target", "test-stack").toAbsolutePath();
            NativeStack leftover = new NativeStack(StackSettings.forTests(StackSettings.findHome(Path.of("")), runDir));
            leftover.discard(Suite.EVERY_INSTANCE);
            leftover.purge();

            NativeStack started = new NativeStack(leftover.settings());
            // Without grace: the data is thrown away, and Surefire gives a finished JVM only seconds to exit.
            // Applications a test started as processes (the lab's) are ours to end as well.
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> started.discard(Suite.EVERY_INSTANCE), "test-stack-discard"));
            started.startPostgres(TestStack::log);
            stack = started;
        }
        return stack;
    }

    public static synchronized NativeStack postgresAndKafka() {
        NativeStack started = postgres();
        if (!kafkaStarted) {
            started.startKafka(TestStack::log);
            kafkaStarted = true;
        }
        return started;
    }

    /** PostgreSQL, Kafka and a Kafka Connect worker with the Debezium PostgreSQL connector on its plugin path. */
    public static synchronized NativeStack withConnect() {
        NativeStack started = postgresAndKafka();
        if (!connectStarted) {
            started.startConnect(TestStack::log);
            connectStarted = true;
        }
        return started;
    }

    /**
     * ... and the Zipkin server every process of the test stack exports its spans to (Kafka Connect was started
     * exporting to its port already, whether or not it ran yet).
     */
    public static synchronized NativeStack withZipkin() {
        NativeStack started = postgres();
        if (!zipkinStarted) {
            started.startZipkin(TestStack::log);
            zipkinStarted = true;
        }
        return started;
    }

    private static void log(String line) {
        System.out.println("[test-stack] " + line);
    }
}
