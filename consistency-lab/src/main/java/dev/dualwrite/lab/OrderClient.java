package dev.dualwrite.lab;

import dev.dualwrite.lab.Operation.Outcome;
import dev.dualwrite.lab.Operation.Type;
import dev.dualwrite.stack.OrdersApi;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The clients of one writer, asynchronous so that an order is sent on time whatever earlier ones are waiting for.
 * Each attempt goes into the history. A careful client: an indeterminate attempt (timeout, reset, 5xx) is retried, a
 * create with the same Idempotency-Key, so a retry never creates a second order; a refusal (4xx) is final. Like a
 * real client's connection pool it has at most {@link #MAX_IN_FLIGHT} orders under way: more would only pile retries
 * onto a service that is still working through the requests it timed out on; the rest wait their turn.
 */
final class OrderClient implements AutoCloseable {

    /** How long a client keeps retrying one operation: longer than a crashed service takes to come back. */
    private static final long RETRY_FOR_MICROS = 120_000_000;

    static final int MAX_IN_FLIGHT = 64;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Writer writer;
    private final String baseUrl;
    private final History history;
    private final ExecutorService executor;
    private final HttpClient http;
    private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    OrderClient(Writer writer, String baseUrl, History history) {
        this.writer = writer;
        this.baseUrl = baseUrl;
        this.history = history;
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "client-" + writer.name().toLowerCase());
            thread.setDaemon(true);
            return thread;
        });
        this.http = OrdersApi.client(executor);
    }

    /** One customer's order: create, then the confirm and the cancel the plan asks for, each once it is acknowledged. */
    CompletableFuture<Void> place(String customerId, boolean confirm, boolean cancel) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable start = () -> order(customerId, confirm, cancel).whenComplete((result, failure) -> {
            done.complete(null);
            startNext();
        });
        if (slots.tryAcquire()) {
            start.run();
        } else {
            waiting.add(start);
        }
        return done;
    }

    /** The slot of an order that finished goes to the next waiting one. */
    private void startNext() {
        Runnable next = waiting.poll();
        if (next != null) {
            next.run();
            return;
        }
        slots.release();
        if (!waiting.isEmpty() && slots.tryAcquire()) {
            Runnable late = waiting.poll();
            if (late != null) {
                late.run();
            } else {
                slots.release();
            }
        }
    }

    int waiting() {
        return waiting.size();
    }

    private CompletableFuture<Void> order(String customerId, boolean confirm, boolean cancel) {
        return create(customerId).thenCompose(created -> {
            if (created.outcome() != Outcome.OK) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Operation> next = CompletableFuture.completedFuture(created);
            if (confirm) {
                next = next.thenCompose(op -> change(created.orderId(), customerId, Type.CONFIRM));
            }
            if (cancel) {
                next = next.thenCompose(op -> change(created.orderId(), customerId, Type.CANCEL));
            }
            return next.thenApply(op -> null);
        });
    }

    CompletableFuture<Operation> create(String customerId) {
        String key = "lab-" + UUID.randomUUID();
        HttpRequest request = OrdersApi.create(baseUrl, customerId, "lab-item", 2, key, REQUEST_TIMEOUT);
        return attempt(Type.CREATE, null, key, customerId, request, 1, History.nowMicros());
    }

    CompletableFuture<Operation> change(UUID orderId, String customerId, Type type) {
        HttpRequest request = OrdersApi.change(baseUrl, orderId, type.name().toLowerCase(), REQUEST_TIMEOUT);
        return attempt(type, orderId, null, customerId, request, 1, History.nowMicros());
    }

    private CompletableFuture<Operation> attempt(
            Type type,
            UUID orderId,
            String key,
            String customerId,
            HttpRequest request,
            int attempt,
            long firstMicros) {
        long start = History.nowMicros();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    Operation op = failure != null
                            ? new Operation(
                                    writer.name(),
                                    type,
                                    orderId,
                                    key,
                                    customerId,
                                    start,
                                    History.nowMicros(),
                                    Outcome.INFO,
                                    null,
                                    rootCause(failure).toString())
                            : answered(type, orderId, key, customerId, start, response);
                    history.record(op);
                    return op;
                })
                .thenCompose(op -> op.outcome() == Outcome.INFO && op.endMicros() - firstMicros < RETRY_FOR_MICROS
                        ? CompletableFuture.supplyAsync(
                                        () -> null,
                                        CompletableFuture.delayedExecutor(
                                                Math.min(2000, 250L * attempt), TimeUnit.MILLISECONDS, executor))
                                .thenCompose(ignored ->
                                        attempt(type, orderId, key, customerId, request, attempt + 1, firstMicros))
                        : CompletableFuture.completedFuture(op));
    }

    private Operation answered(
            Type type, UUID orderId, String key, String customerId, long start, HttpResponse<String> response) {
        long end = History.nowMicros();
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            JsonNode order = JSON.readTree(response.body());
            return new Operation(
                    writer.name(),
                    type,
                    UUID.fromString(order.get("id").asString()),
                    key,
                    customerId,
                    start,
                    end,
                    Outcome.OK,
                    order.get("version").asInt(),
                    Integer.toString(status));
        }
        Outcome outcome = status >= 500 ? Outcome.INFO : Outcome.FAIL;
        return new Operation(
                writer.name(),
                type,
                orderId,
                key,
                customerId,
                start,
                end,
                outcome,
                null,
                status + " "
                        + response.body()
                                .substring(0, Math.min(200, response.body().length())));
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
