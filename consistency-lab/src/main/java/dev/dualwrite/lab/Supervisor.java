package dev.dualwrite.lab;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;

/**
 * Restarts whatever of the stack is down — killed by the lab, halted by a failpoint — as an orchestrator would, and
 * counts the restarts. Checks once a second, on its own thread, until closed.
 */
final class Supervisor implements AutoCloseable {

    private final NativeStack stack;
    private final List<Application> applications;
    private final Map<String, AtomicInteger> restarts = new ConcurrentHashMap<>();
    private final Set<String> restarting = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    Supervisor(NativeStack stack, List<Application> applications) {
        this.stack = stack;
        this.applications = applications;
        this.thread = new Thread(this::watch, "lab-supervisor");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    Map<String, AtomicInteger> restarts() {
        return restarts;
    }

    private void watch() {
        while (running) {
            try {
                restartIfDown("postgres", () -> stack.startPostgres(this::restarted));
                restartIfDown("kafka", () -> stack.startKafka(this::restarted));
                restartIfDown("connect", () -> stack.startConnect(this::restarted));
                for (Application application : applications) {
                    restartIfDown(application.name(), () -> stack.startApplications(List.of(application), this::restarted));
                }
            } catch (RuntimeException e) {
                System.out.println("  supervisor: " + e.getMessage());
            }
            pause(1000);
        }
    }

    /** Each restart on its own thread: an application waiting for its database must not hold up the database. */
    private void restartIfDown(String component, Runnable start) {
        if (running && !stack.isRunning(component) && restarting.add(component)) {
            restarts.computeIfAbsent(component, name -> new AtomicInteger()).incrementAndGet();
            Thread restart = new Thread(() -> {
                try {
                    start.run();
                } catch (RuntimeException e) {
                    System.out.println("  supervisor: " + e.getMessage());
                } finally {
                    restarting.remove(component);
                }
            }, "restart-" + component);
            restart.setDaemon(true);
            restart.start();
        }
    }

    private void restarted(String line) {
        System.out.println("  restarted " + line.replaceAll("\\s+", " "));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until nothing is being restarted any more, then stops watching. */
    @Override
    public void close() throws InterruptedException {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (!restarting.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        running = false;
        thread.join(5_000);
    }
}
