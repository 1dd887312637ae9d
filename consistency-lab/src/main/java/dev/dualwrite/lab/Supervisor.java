package dev.dualwrite.lab;

import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Restarts whatever of the stack is down — killed by the lab, halted by a failpoint — as an orchestrator would, and
 * records each restart (the faults' evidence). Checks once a second, on its own thread, until closed. An application
 * is restarted as the lab last set it (a mutant stays a mutant across its crashes).
 */
final class Supervisor implements AutoCloseable {

    /** One restart: what came back, when, as which process. */
    record Restart(String component, long atMicros, long pid) {}

    private final NativeStack stack;
    private final Map<String, Application> applications = new ConcurrentHashMap<>();
    private final List<Restart> restarts = new ArrayList<>();
    private final Set<String> restarting = ConcurrentHashMap.newKeySet();
    private final Consumer<String> out;
    private final Thread thread;
    private volatile boolean running = true;

    Supervisor(NativeStack stack, Collection<Application> applications, Consumer<String> out) {
        this.stack = stack;
        this.out = out;
        applications.forEach(this::use);
        this.thread = new Thread(this::watch, "lab-supervisor");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** From now on, {@code application} (by its name) is restarted as given. */
    void use(Application application) {
        applications.put(application.name(), application);
    }

    synchronized List<Restart> restarts() {
        return List.copyOf(restarts);
    }

    private void watch() {
        while (running) {
            try {
                restartIfDown("postgres", () -> stack.startPostgres(this::restarted));
                restartIfDown("kafka", () -> stack.startKafka(this::restarted));
                restartIfDown("connect", () -> stack.startConnect(this::restarted));
                for (Application application : applications.values()) {
                    restartIfDown(
                            application.name(),
                            () -> stack.startApplications(
                                    List.of(applications.get(application.name())), this::restarted));
                }
            } catch (RuntimeException e) {
                out.accept("  supervisor: " + e.getMessage());
            }
            pause(1000);
        }
    }

    /** Each restart on its own thread: an application waiting for its database must not hold up the database. */
    private void restartIfDown(String component, Runnable start) {
        if (running && !stack.isRunning(component) && restarting.add(component)) {
            Thread restart = new Thread(
                    () -> {
                        try {
                            start.run();
                        } catch (RuntimeException e) {
                            out.accept("  supervisor: " + e.getMessage());
                        } finally {
                            // Recorded even when it was slow to turn healthy: the process is back.
                            stack.running(component).ifPresent(handle -> {
                                synchronized (this) {
                                    restarts.add(new Restart(component, History.nowMicros(), handle.pid()));
                                }
                            });
                            restarting.remove(component);
                        }
                    },
                    "restart-" + component);
            restart.setDaemon(true);
            restart.start();
        }
    }

    private void restarted(String line) {
        out.accept("  restarted " + line.replaceAll("\\s+", " "));
    }

    /** Waits until everything is up and nothing is being restarted any more. */
    void awaitAllUp() throws InterruptedException {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (System.nanoTime() < deadline && (!restarting.isEmpty() || !allUp())) {
            Thread.sleep(500);
        }
    }

    /** How many components are down or still being restarted. */
    int down() {
        Set<String> down = ConcurrentHashMap.newKeySet();
        down.addAll(restarting);
        for (String component : List.of("postgres", "kafka", "connect")) {
            if (!stack.isRunning(component)) {
                down.add(component);
            }
        }
        applications.keySet().stream().filter(name -> !stack.isRunning(name)).forEach(down::add);
        return down.size();
    }

    /** Every component runs and nothing is being restarted. */
    boolean allUp() {
        return restarting.isEmpty()
                && stack.isRunning("postgres")
                && stack.isRunning("kafka")
                && stack.isRunning("connect")
                && applications.keySet().stream().allMatch(stack::isRunning);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        awaitAllUp();
        running = false;
        thread.join(5_000);
    }
}
