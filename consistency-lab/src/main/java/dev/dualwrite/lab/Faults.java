package dev.dualwrite.lab;

import dev.dualwrite.labhooks.Failpoints;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Injects the planned faults, step by step while the workload runs, and keeps the evidence that each one happened:
 * the pid a failpoint halted (its log line), the pid killed, the restart that followed. A failpoint whose process dies
 * of something else is armed again in the restarted process. Arming that fails is an error, not a fault that "did not
 * fire".
 */
final class Faults {

    /** One planned fault. */
    record Planned(Kind kind, String target, String failpoint, int afterHits) {

        static Planned failpoint(String application, String failpoint, int afterHits) {
            return new Planned(Kind.FAILPOINT, application, failpoint, afterHits);
        }

        static Planned kill(String component) {
            return new Planned(Kind.KILL, component, null, 0);
        }

        static Planned crash(Kind kind) {
            return new Planned(kind, kind == Kind.KAFKA ? "kafka" : "postgres", null, 0);
        }

        String describe() {
            return switch (kind) {
                case FAILPOINT -> "failpoint %s on %s at hit %d".formatted(failpoint, target, afterHits);
                case KILL -> "kill -9 " + target;
                case KAFKA -> "Kafka broker kill -9 and restart";
                case POSTGRES -> "PostgreSQL crash (immediate shutdown) and restart";
            };
        }
    }

    enum Kind {
        FAILPOINT,
        KILL,
        KAFKA,
        POSTGRES
    }

    /** A planned fault and what became of it. {@code firedAtMicros} is 0 until it fired. */
    record Fired(Planned planned, long firedAtMicros, long pid, String evidence) {
        boolean fired() {
            return firedAtMicros > 0;
        }
    }

    private static final Duration RESTART_PATIENCE = Duration.ofSeconds(120);

    private final NativeStack stack;
    private final Map<String, Application> applications;
    private final IntSupplier down;
    private final Consumer<String> out;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Fired> outcomes = new CopyOnWriteArrayList<>();
    private final List<Armed> armed = new CopyOnWriteArrayList<>();
    private final List<Planned> planned = new ArrayList<>();
    private volatile RuntimeException error;
    /** System.nanoTime() of the last step's faults; 0 before the first. */
    private volatile long lastFired;

    private volatile Duration step = Duration.ZERO;
    private Thread injector;

    private record Armed(Planned planned, long pid, int arming) {}

    /** @param down how many processes are down or still on their way back (the supervisor knows) */
    Faults(NativeStack stack, Map<String, Application> applications, IntSupplier down, Consumer<String> out) {
        this.stack = stack;
        this.applications = applications;
        this.down = down;
        this.out = out;
    }

    /** Fires step after step, {@code step} apart, the first one {@code step} from now; returns at once. */
    void start(List<List<Planned>> steps, Duration step) {
        steps.forEach(planned::addAll);
        this.step = step;
        injector = new Thread(
                () -> {
                    try {
                        for (List<Planned> faults : steps) {
                            // An armed failpoint fires before the next fault comes, and at most one process is still on
                            // its
                            // way back: restarts that pile up on two cores take minutes each.
                            long patience = System.nanoTime() + RESTART_PATIENCE.toNanos();
                            while ((!armed.isEmpty() || down.getAsInt() > 1) && System.nanoTime() < patience) {
                                watchArmed();
                                Thread.sleep(100);
                            }
                            long next = System.nanoTime() + step.toNanos();
                            while (System.nanoTime() < next) {
                                watchArmed();
                                Thread.sleep(100);
                            }
                            for (Planned fault : faults) {
                                fire(fault);
                            }
                            lastFired = System.nanoTime();
                        }
                        while (!armed.isEmpty()) {
                            watchArmed();
                            Thread.sleep(100);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        error = e;
                        out.accept("  FAULT INJECTION FAILED: " + e.getMessage());
                    }
                },
                "lab-faults");
        injector.setDaemon(true);
        injector.start();
    }

    /** Waits until every step has fired and no failpoint is armed any more, or the timeout passed. */
    void awaitInjected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (watching() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    /**
     * Ends the injection: failpoints that never fired are disarmed and reported as not fired. Returns every planned
     * fault with its outcome. Throws if arming failed.
     */
    List<Fired> finish() throws InterruptedException {
        if (injector != null) {
            injector.interrupt();
            injector.join(5_000);
        }
        for (Armed stillArmed : armed) {
            send(HttpRequest.newBuilder(failpointUri(stillArmed.planned()))
                    .timeout(Duration.ofSeconds(5))
                    .DELETE()
                    .build());
            outcomes.add(new Fired(
                    stillArmed.planned(),
                    0,
                    stillArmed.pid(),
                    "armed in pid %d, never reached".formatted(stillArmed.pid())));
            out.accept("  NOT FIRED: " + stillArmed.planned().describe());
        }
        armed.clear();
        // A step the injection never reached is a planned fault that did not fire, too.
        List<Planned> attempted = outcomes.stream().map(Fired::planned).toList();
        for (Planned fault : planned) {
            if (!attempted.contains(fault)) {
                outcomes.add(new Fired(fault, 0, -1, "never attempted: the injection stopped before its step"));
                out.accept("  NOT FIRED: " + fault.describe());
            }
        }
        if (error != null) {
            throw error;
        }
        return List.copyOf(outcomes);
    }

    private void fire(Planned fault) throws InterruptedException {
        switch (fault.kind()) {
            case FAILPOINT -> arm(fault, 1);
            case KILL, KAFKA -> {
                long pid = -1;
                // The target may be down for a restart after an earlier fault; wait for it to come back.
                for (int i = 0; i < 120 && (pid = stack.kill(fault.target())) < 0; i++) {
                    Thread.sleep(500);
                }
                record(
                        fault,
                        pid,
                        pid < 0 ? "not running for a minute, not killed" : "kill -9 pid " + pid,
                        History.nowMicros());
            }
            case POSTGRES -> {
                long pid = stack.running("postgres").map(ProcessHandle::pid).orElse(-1L);
                // Stamped when the shutdown is asked for: the supervisor may have PostgreSQL back before crash
                // returns, and a restart must not seem to come before its fault ("no restart seen").
                long at = History.nowMicros();
                stack.crashPostgres();
                record(fault, pid, "immediate shutdown of pid " + pid, at);
            }
        }
    }

    private void record(Planned fault, long pid, String evidence, long atMicros) {
        outcomes.add(new Fired(fault, pid < 0 ? 0 : atMicros, pid, evidence));
        out.accept("  %s %s: %s".formatted(pid < 0 ? "NOT FIRED" : "fault", fault.describe(), evidence));
    }

    private void arm(Planned fault, int arming) throws InterruptedException {
        for (int i = 0; i < 240 && stack.running(fault.target()).isEmpty(); i++) {
            Thread.sleep(500);
        }
        long pid = stack.running(fault.target())
                .map(ProcessHandle::pid)
                .orElseThrow(() -> new IllegalStateException("cannot arm " + fault.describe() + ": not running"));
        HttpResponse<String> response = null;
        boolean unanswered = false;
        for (int i = 0; i < 120 && (response == null || response.statusCode() >= 500); i++) {
            try {
                response = http.send(
                        HttpRequest.newBuilder(failpointUri(fault))
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException | HttpConnectTimeoutException notUpYet) {
                response = null;
            } catch (IOException timeoutOrReset) {
                // The process may have taken the arming and halted on it already: its log will say.
                unanswered = true;
                break;
            }
            if (response == null || response.statusCode() >= 500) {
                Thread.sleep(500);
            }
        }
        if (!unanswered && (response == null || response.statusCode() != 200)) {
            String why = "arming failed: "
                    + (response == null ? "never reachable" : response.statusCode() + " " + response.body());
            outcomes.add(new Fired(fault, 0, pid, why));
            throw new IllegalStateException("%s: %s".formatted(fault.describe(), why));
        }
        armed.add(new Armed(fault, pid, arming));
        out.accept("  armed %s (pid %d)%s"
                .formatted(fault.describe(), pid, unanswered ? ", the answer did not come" : ""));
    }

    /** A failpoint fired when its armed process is gone and its log holds the failpoint's line for that pid. */
    private void watchArmed() throws InterruptedException {
        for (Armed candidate : armed) {
            if (ProcessHandle.of(candidate.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            armed.remove(candidate);
            String line = Failpoints.firedLine(candidate.planned().failpoint(), candidate.pid());
            if (logContains(candidate.planned().target(), line)) {
                record(
                        candidate.planned(),
                        candidate.pid(),
                        "pid %d halted, its log: \"%s\"".formatted(candidate.pid(), line),
                        History.nowMicros());
            } else if (candidate.arming() < 3) {
                out.accept("  %s: pid %d died of something else; arming the restarted process"
                        .formatted(candidate.planned().describe(), candidate.pid()));
                arm(candidate.planned(), candidate.arming() + 1);
            } else {
                outcomes.add(new Fired(candidate.planned(), 0, candidate.pid(), "its process died three times before"));
            }
        }
    }

    private boolean logContains(String application, String line) {
        Path log = stack.settings().logDir().resolve(application + ".log");
        try (var lines = Files.lines(log)) {
            return lines.anyMatch(text -> text.contains(line));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether the faults still need traffic: a planned fault is still to come, an armed failpoint waits for its hit, a
     * victim is not back yet, or the last fault fired less than a step ago (its recovery is part of what the run
     * judges).
     */
    boolean injecting() {
        return watching() || down.getAsInt() > 0 || (lastFired != 0 && System.nanoTime() - lastFired < step.toNanos());
    }

    private boolean watching() {
        return !armed.isEmpty() || (injector != null && injector.isAlive());
    }

    private URI failpointUri(Planned fault) {
        return URI.create(applications.get(fault.target()).url(stack.settings()) + "/lab/failpoints/"
                + fault.failpoint() + "?afterHits=" + fault.afterHits());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The restart of each fired fault's target that followed it, as evidence beside the fault. */
    static List<Fired> withRestarts(List<Fired> fired, List<Supervisor.Restart> restarts) {
        List<Fired> complete = new ArrayList<>();
        for (Fired fault : fired) {
            String evidence = fault.evidence();
            if (fault.fired()) {
                evidence += restarts.stream()
                        .filter(restart ->
                                restart.component().equals(fault.planned().target())
                                        && restart.atMicros() >= fault.firedAtMicros())
                        .findFirst()
                        .map(restart -> "; restarted as pid %d after %.1f s"
                                .formatted(restart.pid(), (restart.atMicros() - fault.firedAtMicros()) / 1e6))
                        .orElse("; no restart seen");
            }
            complete.add(new Fired(fault.planned(), fault.firedAtMicros(), fault.pid(), evidence));
        }
        return complete;
    }
}
