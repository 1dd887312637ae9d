package dev.dualwrite.lab;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.StackSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * The consistency lab: the naive dual write beside the three patterns, under the same workload and the same faults,
 * then a verifier that reads the database and every topic from the beginning.
 *
 * <pre>./lab.sh run --orders N --faults all|none|failpoints,kill,kafka,postgres [--json FILE] [--report FILE]</pre>
 *
 * The applications must run under the "lab" profile (./lab.sh starts them so); only then can failpoints be armed.
 */
public final class LabRun {

    static final List<String> FAULT_KINDS = List.of("failpoints", "kill", "kafka", "postgres");
    static final Map<Pattern, String> SERVICES = Map.of(
            Pattern.TRANSACTIONAL_OUTBOX, "order-service-outbox",
            Pattern.LISTEN_TO_YOURSELF, "order-service-listen-to-yourself",
            Pattern.TRANSACTIONAL_LOG_TAILING, "order-service-log-tailing",
            Pattern.NAIVE_DUAL_WRITE, "order-service-naive");

    private final NativeStack stack;
    private final StackSettings settings;
    private final List<Application> applications;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Duration faultStep;
    private final List<String> killVictims;

    /**
     * @param faultStep   time between two faults: room for the supervisor to bring back what the last one took down
     * @param killVictims the processes the "kill" faults kill -9, one per step
     */
    LabRun(NativeStack stack, List<Application> applications, Duration faultStep, List<String> killVictims) {
        this.stack = stack;
        this.settings = stack.settings();
        this.applications = applications;
        this.faultStep = faultStep;
        this.killVictims = killVictims;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = PatternCheck.options(args);
        StackSettings settings = StackSettings.fromEnvironment(
                StackSettings.findHome(Path.of(System.getProperty("dualwrite.home", "."))), System.getenv());
        LabRun lab = new LabRun(new NativeStack(settings), Application.WITH_NAIVE, Duration.ofSeconds(12), List.of(
                "order-service-outbox", "connect", "outbox-poller-2", "order-consumer", "order-service-log-tailing",
                "lty-poller-2"));
        LabResult result = lab.run(Integer.parseInt(options.getOrDefault("orders", "500")),
                faults(options.getOrDefault("faults", "all")),
                Integer.parseInt(options.getOrDefault("rate", "60")));
        String command = "./lab.sh run " + String.join(" ", args);
        System.out.println(result.table());
        Path report = Path.of(options.getOrDefault("report", settings.home().resolve("docs/consistency-report.md").toString()));
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, result.markdown(command));
        System.out.println("report: " + report);
        if (options.containsKey("json")) {
            Files.writeString(Path.of(options.get("json")), result.json());
            System.out.println("json: " + options.get("json"));
        }
        System.out.println(result.patternsHold() ? "OK: the three patterns lost nothing" : "FAILED: a pattern broke");
        System.exit(result.patternsHold() ? 0 : 1);
    }

    static Set<String> faults(String value) {
        if (value.equals("all")) {
            return Set.copyOf(FAULT_KINDS);
        }
        if (value.equals("none")) {
            return Set.of();
        }
        Set<String> kinds = Set.of(value.split(","));
        if (!FAULT_KINDS.containsAll(kinds)) {
            throw new IllegalArgumentException("--faults takes all, none or some of " + FAULT_KINDS + ", got " + value);
        }
        return kinds;
    }

    LabResult run(int ordersPerPattern, Set<String> faults, int ratePerPattern) throws Exception {
        Instant started = Instant.now();
        String run = "lab-" + UUID.randomUUID().toString().substring(0, 8);
        startUnderLabProfile();
        System.out.printf("lab run %s: %d orders per pattern at %d/s each, faults %s%n", run, ordersPerPattern,
                ratePerPattern, faults.isEmpty() ? "none" : String.join(",", faults));
        Map<String, Integer> restarts;
        try (Supervisor supervisor = new Supervisor(stack, applications)) {
            ExecutorService workload = Executors.newFixedThreadPool(4 * 8);
            List<Future<?>> work = new ArrayList<>();
            // The workload lasts at least as long as the fault schedule, so every fault meets traffic.
            double rate = faults.isEmpty() ? ratePerPattern
                    : Math.min(ratePerPattern, ordersPerPattern / (double) faultStep.multipliedBy(killVictims.size() + 5).toSeconds());
            Duration length = Duration.ofMillis((long) (1000L * ordersPerPattern / rate));
            System.out.printf("  %.1f orders/s per pattern for %d s%n", rate, length.toSeconds());
            for (Pattern pattern : Pattern.values()) {
                OrderClient client = new OrderClient(url(SERVICES.get(pattern)));
                for (int i = 0; i < ordersPerPattern; i++) {
                    long at = started.toEpochMilli() + (long) (1000L * i / rate);
                    String customer = run + "-" + pattern.name().toLowerCase() + "-" + i;
                    work.add(workload.submit(() -> placeOrder(pattern, client, customer, at)));
                }
            }
            injectFaults(faults);
            for (Future<?> future : work) {
                future.get();
            }
            workload.shutdown();
            System.out.printf("  workload done after %.0f s%n", Duration.between(started, Instant.now()).toMillis() / 1000.0);
            awaitSettled(run, Duration.ofSeconds(Math.max(120, ordersPerPattern / 10)));
            restarts = supervisor.restarts().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().get()));
        }
        Map<Pattern, PatternResult> results = new EnumMap<>(Pattern.class);
        TopicReader reader = new TopicReader(settings.bootstrapServers());
        for (Pattern pattern : Pattern.values()) {
            results.put(pattern, verify(run, pattern, reader));
        }
        return new LabResult(run, ordersPerPattern, faults, restarts, results,
                Duration.between(started, Instant.now()));
    }

    /** One client's order: create (retried with its Idempotency-Key), then sometimes confirm, sometimes cancel. */
    private void placeOrder(Pattern pattern, OrderClient client, String customer, long atEpochMilli) {
        long wait = atEpochMilli - System.currentTimeMillis();
        if (wait > 0) {
            sleep(wait);
        }
        try {
            UUID id = client.create(customer);
            int dice = ThreadLocalRandom.current().nextInt(10);
            if (dice < 3 && pattern != Pattern.LISTEN_TO_YOURSELF) {
                client.change(id, "confirm");
            }
            if (dice >= 7 || dice == 0) {
                client.change(id, "cancel");
            }
        } catch (RuntimeException e) {
            // The naive service may fail a request after its commit; the verifier finds out what happened.
            System.out.println("  client gave up on " + customer + ": " + e.getMessage());
        }
    }

    /** The faults, spread over the workload; the supervisor restarts whatever they take down. */
    private void injectFaults(Set<String> faults) {
        Thread injector = new Thread(() -> {
            long step = faultStep.toMillis();
            if (faults.contains("failpoints")) {
                sleep(step);
                arm("order-service-naive", "naive.after-commit-before-publish", 5);
                arm("outbox-poller-1", "relay.after-send-before-mark", 3);
                arm("lty-poller-1", "relay.mid-batch", 2);
                arm("order-consumer", "consumer.after-effect-before-offset", 40);
                arm("order-service-listen-to-yourself", "consumer.after-effect-before-offset", 25);
            }
            if (faults.contains("kill")) {
                for (String victim : killVictims) {
                    sleep(step);
                    System.out.printf("  kill -9 %s (pid %d)%n", victim, stack.kill(victim));
                }
            }
            if (faults.contains("kafka")) {
                sleep(step);
                System.out.printf("  kill -9 kafka (pid %d): broker restart%n", stack.kill("kafka"));
            }
            if (faults.contains("postgres")) {
                sleep(step);
                System.out.println("  PostgreSQL immediate shutdown (crash), restart");
                stack.crashPostgres();
            }
        }, "lab-faults");
        injector.setDaemon(true);
        injector.start();
    }

    private void arm(String application, String failpoint, int afterHits) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                URI.create(url(application) + "/lab/failpoints/" + failpoint + "?afterHits=" + afterHits))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        System.out.printf("  armed %s on %s (halts at hit %d): %d%n", failpoint, application, afterHits,
                response == null ? -1 : response.statusCode());
    }

    /**
     * Starts what is missing and restarts, under the "lab" profile, every application that runs without it (only
     * there can failpoints be armed). The launched applications inherit SPRING_PROFILES_ACTIVE=lab from ./lab.sh.
     */
    void startUnderLabProfile() {
        if (!List.of(settings.appProfiles().split(",")).contains("lab")) {
            throw new IllegalStateException("run the lab through ./lab.sh run (it sets SPRING_PROFILES_ACTIVE=lab)");
        }
        List<Application> withoutLab = applications.stream()
                .filter(application -> stack.isRunning(application.name()))
                .filter(application -> {
                    HttpResponse<String> response = send(HttpRequest.newBuilder(
                            URI.create(application.url(settings) + "/lab/failpoints")).build());
                    return response == null || response.statusCode() != 200;
                }).toList();
        stack.stopApplications(withoutLab, line -> System.out.println("  " + line + " (to restart it under the lab profile)"));
        stack.startInfrastructure(line -> System.out.println("  " + line));
        stack.startApplications(applications, line -> System.out.println("  " + line));
        stack.registerConnector(line -> System.out.println("  " + line));
    }

    /** Waits until the relays are drained, listen-to-yourself has confirmed, and the downstream view stops changing. */
    private void awaitSettled(String run, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        int stableFor = 0;
        while (System.nanoTime() < deadline && stableFor < 5) {
            String now = query("""
                    SELECT (SELECT count(*) FROM outbox_events WHERE published_at IS NULL)
                        || '/' || (SELECT count(*) FROM lty_events WHERE published_at IS NULL)
                        || '/' || (SELECT count(*) FROM orders WHERE status = 'PENDING' AND pattern = 'LISTEN_TO_YOURSELF'
                                                          AND customer_id LIKE ?)
                        || '/' || (SELECT coalesce(sum(events_applied), 0) FROM consumed_orders c
                                     JOIN orders o ON o.id = c.order_id WHERE o.customer_id LIKE ?)
                    """, run + "-%", run + "-%").get(0);
            boolean drained = now.startsWith("0/0/0/");
            stableFor = drained && now.equals(last) ? stableFor + 1 : 0;
            last = now;
            sleep(1000);
        }
        System.out.println("  settled: unpublished outbox/lty rows, PENDING lty orders, events applied downstream = " + last);
    }

    private PatternResult verify(String run, Pattern pattern, TopicReader reader) throws Exception {
        String customers = run + "-" + pattern.name().toLowerCase() + "-%";
        Map<UUID, Integer> committed = new HashMap<>();
        for (String row : query("SELECT id || ' ' || version FROM orders WHERE customer_id LIKE ?", customers)) {
            String[] parts = row.split(" ");
            committed.put(UUID.fromString(parts[0]), Integer.parseInt(parts[1]));
        }
        String prefix = customers.substring(0, customers.length() - 1);
        List<TopicRecord> records = reader.readAll(pattern.topic()).stream()
                .filter(record -> record.customerId() != null && record.customerId().startsWith(prefix)).toList();
        Verdict verdict = Verdict.of(committed, records);
        long duplicateEffects = Long.parseLong(query("""
                SELECT count(*) FROM consumed_orders c JOIN orders o ON o.id = c.order_id
                 WHERE o.customer_id LIKE ? AND c.events_applied > c.version
                """, customers).get(0));
        long mismatches = Long.parseLong(query("""
                SELECT count(*) FROM orders o LEFT JOIN consumed_orders c ON c.order_id = o.id
                 WHERE o.customer_id LIKE ?
                   AND (c.order_id IS NULL OR c.status <> o.status OR c.version <> o.version OR c.events_applied <> o.version)
                """, customers).get(0));
        return new PatternResult(verdict, duplicateEffects, mismatches);
    }

    private List<String> query(String sql, String... parameters) throws Exception {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    private String url(String application) {
        return applications.stream().filter(app -> app.name().equals(application)).findFirst().orElseThrow().url(settings);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    record PatternResult(Verdict verdict, long duplicateEffects, long mismatches) {
        boolean holds() {
            return verdict.clean() && duplicateEffects == 0 && mismatches == 0;
        }
    }

    record LabResult(String run, int ordersPerPattern, Set<String> faults, Map<String, Integer> restarts,
                     Map<Pattern, PatternResult> patterns, Duration took) {

        boolean patternsHold() {
            return patterns.entrySet().stream().filter(entry -> entry.getKey() != Pattern.NAIVE_DUAL_WRITE)
                    .allMatch(entry -> entry.getValue().holds());
        }

        String table() {
            StringBuilder table = new StringBuilder(String.format("%-26s | %9s | %4s | %7s | %12s | %11s | %8s | %10s%n",
                    "pattern", "committed", "lost", "phantom", "dup-on-topic", "dup-effects", "reorders", "mismatches"));
            patterns.forEach((pattern, result) -> table.append(String.format(
                    "%-26s | %9d | %4d | %7d | %12d | %11d | %8d | %10d%n", pattern, result.verdict().committed(),
                    result.verdict().lost(), result.verdict().phantom(), result.verdict().duplicatesOnTopic(),
                    result.duplicateEffects(), result.verdict().reorders(), result.mismatches())));
            return table.toString();
        }

        String markdown(String command) {
            StringBuilder md = new StringBuilder("# Consistency report\n\n");
            md.append("Produced by `").append(command).append("` (run `").append(run).append("`, ")
                    .append(Instant.now()).append(", ").append(took.toSeconds()).append(" s).\n\n");
            md.append(ordersPerPattern).append(" orders per pattern, faults: ")
                    .append(faults.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(faults)))
                    .append(". Restarts by the lab's supervisor: ").append(restarts.isEmpty() ? "none" : new java.util.TreeMap<>(restarts))
                    .append(".\n\n| pattern | committed | lost | phantom | dup-on-topic | dup-effects | reorders | mismatches |\n")
                    .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            patterns.forEach((pattern, result) -> md.append(String.format("| %s | %d | %d | %d | %d | %d | %d | %d |%n",
                    pattern, result.verdict().committed(), result.verdict().lost(), result.verdict().phantom(),
                    result.verdict().duplicatesOnTopic(), result.duplicateEffects(), result.verdict().reorders(),
                    result.mismatches())));
            md.append("\n*lost*: committed changes whose event is not on the topic; *phantom*: events of changes that "
                    + "never committed; *dup-on-topic*: extra copies (allowed, consumers deduplicate); *dup-effects*: "
                    + "events applied twice downstream; *reorders*: a lower version after a higher one of the same order; "
                    + "*mismatches*: orders whose downstream view differs from the database.\n\n");
            md.append(patternsHold() ? "The three patterns lost nothing.\n" : "**A pattern broke.**\n");
            patterns.forEach((pattern, result) -> result.verdict().examples().stream().limit(5)
                    .forEach(example -> md.append("- ").append(pattern).append(": ").append(example).append('\n')));
            return md.toString();
        }

        String json() {
            Map<String, Object> body = new LinkedHashMap<>();
            Map<String, Object> byPattern = new LinkedHashMap<>();
            patterns.forEach((pattern, result) -> {
                Map<String, Object> numbers = new LinkedHashMap<>();
                numbers.put("committed", result.verdict().committed());
                numbers.put("lost", result.verdict().lost());
                numbers.put("phantom", result.verdict().phantom());
                numbers.put("duplicatesOnTopic", result.verdict().duplicatesOnTopic());
                numbers.put("duplicateEffects", result.duplicateEffects());
                numbers.put("reorders", result.verdict().reorders());
                numbers.put("mismatches", result.mismatches());
                byPattern.put(pattern.name(), numbers);
            });
            body.put("patterns", byPattern);
            body.put("run", run);
            body.put("ordersPerPattern", ordersPerPattern);
            body.put("faults", faults.stream().sorted().toList());
            body.put("restarts", restarts);
            body.put("seconds", took.toSeconds());
            return JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(body);
        }
    }

}
