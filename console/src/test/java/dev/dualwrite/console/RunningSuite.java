package dev.dualwrite.console;

import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.OrdersApi;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.stack.Suite;
import dev.dualwrite.testsupport.ApplicationPorts;
import dev.dualwrite.testsupport.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The whole standing suite — every application, the naive write and the console — as processes under the lab profile
 * on the test JVM's stack (with Kafka Connect and the connector), started once for every test class that needs it and
 * ended with the stack when the JVM exits.
 */
final class RunningSuite {

    private static NativeStack stack;

    private RunningSuite() {}

    /**
     * One order through each writer before any test: a JVM fresh from its start answers its first request in seconds
     * on two busy cores, and what the tests time is the console, not a cold service.
     */
    private static void warm(StackSettings settings) {
        HttpClient http = OrdersApi.client();
        for (Suite.Deployment writer : Writers.ALL) {
            try {
                HttpResponse<String> created = http.send(
                        OrdersApi.create(
                                writer.service().url(settings), "c-warm-up", "SKU-0", 1, null, Duration.ofSeconds(60)),
                        HttpResponse.BodyHandlers.ofString());
                if (created.statusCode() != 201) {
                    throw new IllegalStateException(writer.service().name() + " answered " + created.statusCode());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static synchronized NativeStack started() {
        if (stack == null) {
            StackSettings settings = TestStack.withConnect()
                    .settings()
                    .withApplications(ApplicationPorts.freeOffset(Suite.STANDING, 20000), "lab");
            NativeStack suite = new NativeStack(settings);
            suite.startApplications(Suite.STANDING, System.out::println);
            suite.registerConnector(System.out::println);
            warm(settings);
            stack = suite;
        }
        return stack;
    }
}
