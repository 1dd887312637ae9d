package dev.dualwrite.console.faults;

import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.Suite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Under the lab profile only: kills one process of the native stack as a crash would (kill -9; PostgreSQL an immediate
 * shutdown) and starts it again after a while, so that the page shows the damage and the recovery. The processes are
 * the launcher's (its pid files), so the console can only break the stack that started it.
 */
@Component
@Profile("lab")
public class FaultInjector implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

    private static final List<String> INFRASTRUCTURE = List.of("postgres", "kafka", "connect");

    /** One injected fault and how far its recovery got. */
    public record Fault(String target, Instant killedAt, long pid, String state, Instant recoveredAt, String detail) {}

    private final NativeStack stack;
    private final Duration downFor;
    /** Each killed process comes back on its own: one slow start must not hold up the others'. */
    private final ScheduledExecutorService restarts = Executors.newScheduledThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "fault-restarts");
        thread.setDaemon(true);
        return thread;
    });

    private final Deque<Fault> recent = new ArrayDeque<>();

    FaultInjector(NativeStack stack, FaultProperties properties) {
        this.stack = stack;
        this.downFor = properties.downFor();
    }

    /** What can be killed: every application of the stack but the console, and the infrastructure. */
    public List<String> targets() {
        List<String> targets = new ArrayList<>(INFRASTRUCTURE);
        Suite.STANDING.stream()
                .filter(application -> !application.equals(Suite.CONSOLE))
                .forEach(application -> targets.add(application.name()));
        return targets;
    }

    public synchronized List<Fault> recent() {
        return List.copyOf(recent);
    }

    /** Kills {@code target} now and schedules its restart; returns at once. */
    public synchronized Fault inject(String target) {
        if (!targets().contains(target)) {
            throw new IllegalArgumentException("no such process: " + target + "; one of " + targets());
        }
        if (recent.stream()
                .anyMatch(fault -> fault.target().equals(target)
                        && fault.recoveredAt() == null
                        && !fault.state().equals("failed"))) {
            throw new IllegalStateException(target + " is still on its way back");
        }
        long pid;
        if (target.equals("postgres")) {
            pid = stack.running("postgres").map(ProcessHandle::pid).orElse(-1L);
            stack.crashPostgres();
        } else {
            pid = stack.kill(target);
        }
        Fault fault = new Fault(target, Instant.now(), pid, pid < 0 ? "was not running" : "killed", null, null);
        log.warn("fault injected: {} (pid {}) killed; restarting it in {}", target, pid, downFor);
        remember(fault);
        restarts.schedule(() -> restart(fault), downFor.toMillis(), TimeUnit.MILLISECONDS);
        return fault;
    }

    private void restart(Fault fault) {
        update(fault, "restarting", null, null);
        try {
            StringBuilder output = new StringBuilder();
            switch (fault.target()) {
                case "postgres" -> stack.startPostgres(output::append);
                case "kafka" -> stack.startKafka(output::append);
                case "connect" -> stack.startConnect(output::append);
                default ->
                    stack.startApplications(List.of(application(fault.target()).orElseThrow()), output::append);
            }
            log.info("fault recovered: {} started again", fault.target());
            update(fault, "recovered", Instant.now(), output.toString().strip());
        } catch (RuntimeException e) {
            log.error("fault not recovered: {} did not start again", fault.target(), e);
            update(fault, "failed", null, e.getMessage());
        }
    }

    private static Optional<Application> application(String name) {
        return Suite.STANDING.stream()
                .filter(application -> application.name().equals(name))
                .findFirst();
    }

    private synchronized void remember(Fault fault) {
        recent.addFirst(fault);
        while (recent.size() > 20) {
            recent.removeLast();
        }
    }

    private synchronized void update(Fault fault, String state, Instant recoveredAt, String detail) {
        List<Fault> updated = new ArrayList<>();
        for (Fault known : recent) {
            updated.add(
                    known.target().equals(fault.target()) && known.killedAt().equals(fault.killedAt())
                            ? new Fault(known.target(), known.killedAt(), known.pid(), state, recoveredAt, detail)
                            : known);
        }
        recent.clear();
        recent.addAll(updated);
    }

    @Override
    public void destroy() {
        restarts.shutdownNow();
    }
}
