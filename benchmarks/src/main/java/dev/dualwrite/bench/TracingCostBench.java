package dev.dualwrite.bench;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.Suite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What tracing costs, on the transactional outbox's path: its order service, both pollers and order-consumer are
 * restarted with every request sampled (1.0) and with none (0) — the trace context still travels with the events at
 * 0, only no span is recorded or exported — and at each the write path with the pipeline running (32 clients, beside
 * the plain insert) and the CPU per order at the CPU section's rate are measured, after the restarted JVMs are warmed
 * as the benchmark warms every JVM (rounds until the CPU per order stops falling; 40 s were not enough). The path
 * is restarted as it was found at the end.
 */
final class TracingCostBench {

    static final List<String> SAMPLINGS = List.of("0", "1.0");

    /** One sampling probability's figures. */
    record Result(
            String sampling, double outboxOrdersPerSecond, double plainInsertOrdersPerSecond, double cpuMsPerOrder) {
        double ratioToPlainInsert() {
            return outboxOrdersPerSecond / plainInsertOrdersPerSecond;
        }
    }

    private static final int CONCURRENCY = 32;

    private final NativeStack stack;
    private final JdbcClient jdbc;
    private final Pipeline pipeline;
    private final Application consumer;
    private final Benchmarks.Sizes sizes;

    /** @param consumer order-consumer as the benchmarks run it (reading the naive topic too) */
    TracingCostBench(
            NativeStack stack, JdbcClient jdbc, Pipeline pipeline, Application consumer, Benchmarks.Sizes sizes) {
        this.stack = stack;
        this.jdbc = jdbc;
        this.pipeline = pipeline;
        this.consumer = consumer;
        this.sizes = sizes;
    }

    List<Result> run() throws Exception {
        String outbox = Suite.OUTBOX.service().url(stack.settings());
        Map<String, String> writers = new LinkedHashMap<>();
        writers.put(Services.PLAIN_INSERT, Suite.PLAIN_INSERT.url(stack.settings()));
        writers.put(Pattern.TRANSACTIONAL_OUTBOX.name(), outbox);
        List<Result> results = new ArrayList<>();
        try {
            for (String sampling : SAMPLINGS) {
                restart(Map.of("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", sampling));
                System.out.printf(
                        " sampling %s: warming the restarted JVMs as the benchmark warms every JVM%n", sampling);
                restartedPids().forEach(JfrProfile::prime);
                Benchmarks.warmUp(
                        Benchmarks.suitePids(stack),
                        pipeline,
                        Pattern.TRANSACTIONAL_OUTBOX.name(),
                        outbox,
                        sizes.jvmWarmUp());
                List<WritePathBench.Result> write = new WritePathBench(
                                stack.settings(), writers, pipeline, sizes.writeLength(), sizes.warmUp())
                        .runningOnly(List.of(CONCURRENCY));
                double cpu = new CpuPerOrderBench(
                                stack, jdbc, pipeline, sizes.cpuLength(), sizes.cpuLength(), sizes.cpuRate())
                        .run(Map.of(Pattern.TRANSACTIONAL_OUTBOX.name(), outbox))
                        .get(0)
                        .msPerOrder();
                Result result = new Result(
                        sampling,
                        ordersPerSecond(write, Pattern.TRANSACTIONAL_OUTBOX.name()),
                        ordersPerSecond(write, Services.PLAIN_INSERT),
                        cpu);
                System.out.printf(
                        "  sampling %-4s outbox %5.0f orders/s = %.2f × the plain insert (c=%d, pipeline running),"
                                + " %.2f ms CPU per order%n",
                        sampling, result.outboxOrdersPerSecond(), result.ratioToPlainInsert(), CONCURRENCY, cpu);
                results.add(result);
            }
        } finally {
            restart(Map.of());
        }
        return results;
    }

    private static double ordersPerSecond(List<WritePathBench.Result> results, String service) {
        return results.stream()
                .filter(result -> result.service().equals(service))
                .findFirst()
                .orElseThrow()
                .ordersPerSecond();
    }

    private List<Long> restartedPids() {
        List<Long> pids = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(Suite.OUTBOX.service().name(), consumer.name()));
        Suite.OUTBOX.relays().forEach(relay -> names.add(relay.name()));
        names.forEach(name -> stack.running(name).ifPresent(process -> pids.add(process.pid())));
        return pids;
    }

    /** The outbox's path again, with this environment on top of the stack's. */
    private void restart(Map<String, String> environment) {
        List<Application> path = new ArrayList<>();
        path.add(Suite.OUTBOX.service().with(environment));
        Suite.OUTBOX.relays().forEach(relay -> path.add(relay.with(environment)));
        path.add(consumer.with(environment));
        Consumer<String> out = line -> System.out.println("  " + line);
        stack.stopApplications(path, out);
        stack.startApplications(path, out);
    }
}
