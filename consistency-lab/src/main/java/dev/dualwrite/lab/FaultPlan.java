package dev.dualwrite.lab;

import dev.dualwrite.labhooks.Failpoints;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.Suite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a run breaks, and when: one fault per step, {@code step} apart, failpoints and kills taking turns (a failpoint
 * halts a process of another kind than the kill before it); the broker and the database last, or after the first
 * {@code infrastructureAfter} steps.
 *
 * @param step                time between two faults: room for the supervisor to bring back what the last one took
 *                            down
 * @param killVictims         the processes the "kill" faults kill -9, one per step
 * @param failpoints          the failpoints the "failpoints" faults arm, one per step
 * @param infrastructureAfter how many failpoint and kill steps come before the broker's and the database's crash
 *                            ({@link Integer#MAX_VALUE}: all of them)
 * @param restartAllowance    what the plan allows per step, beyond the step itself, for waiting on restarts: the
 *                            workload is made at least that long, so that the faults meet traffic
 */
record FaultPlan(
        Duration step,
        List<String> killVictims,
        List<Faults.Planned> failpoints,
        int infrastructureAfter,
        Duration restartAllowance) {

    /** The patterns' stack restarts a process within seconds on two cores. */
    static final Duration RESTART_ALLOWANCE = Duration.ofSeconds(10);

    static final List<String> KINDS = List.of("failpoints", "kill", "kafka", "postgres");

    /** The failpoints a run arms, each at the moment that matters for its process. */
    static final List<Faults.Planned> FAILPOINTS = List.of(
            Faults.Planned.failpoint(name(Suite.NAIVE.service()), Failpoints.NAIVE_AFTER_COMMIT_BEFORE_PUBLISH, 5),
            Faults.Planned.failpoint(
                    name(Suite.NAIVE_PUBLISH_FIRST.service()), Failpoints.NAIVE_AFTER_PUBLISH_BEFORE_COMMIT, 5),
            Faults.Planned.failpoint(name(Suite.OUTBOX.relays().get(0)), Failpoints.RELAY_AFTER_SEND_BEFORE_MARK, 3),
            Faults.Planned.failpoint(name(Suite.LISTEN_TO_YOURSELF.relays().get(0)), Failpoints.RELAY_MID_BATCH, 2),
            Faults.Planned.failpoint(name(Suite.ORDER_CONSUMER), Failpoints.CONSUMER_AFTER_EFFECT_BEFORE_OFFSET, 40),
            // Its own consumer applies only OrderCreated (one effect per order, where order-consumer sees every event
            // of five writers): a low hit, so that it fires within seconds even at the CI run's order per second.
            Faults.Planned.failpoint(
                    name(Suite.LISTEN_TO_YOURSELF.service()), Failpoints.CONSUMER_AFTER_EFFECT_BEFORE_OFFSET, 6));

    /** {@code ./lab.sh run}'s plan: a kill of each kind of process (the second instance of each relay). */
    static final FaultPlan DEFAULT = new FaultPlan(
            Duration.ofSeconds(12),
            List.of(
                    name(Suite.OUTBOX.service()),
                    "connect",
                    name(Suite.OUTBOX.relays().get(1)),
                    name(Suite.ORDER_CONSUMER),
                    name(Suite.LOG_TAILING.service()),
                    name(Suite.LISTEN_TO_YOURSELF.relays().get(1))));

    /**
     * {@code ./lab.sh run --peers}: the same faults, and the peers' own (docs/peers.md). Each peer's first instance (the
     * one the clients call) crashes between the broker's acknowledgement and the library's record of it; Modulith's
     * also right after an order's commit, before its externalizer ran; the second instance of each is killed -9 late
     * in the plan. The peers' failpoints come first, between the patterns' kills, so that no step takes down the other
     * instance of a peer whose first one may still be on its way back; the broker's and the database's crash follow
     * the plan's first four steps — what a library does across a broker restart is what a user most needs to see, and
     * on a small machine twenty JVMs restart slowly enough that the end of a long plan may not come.
     */
    static final FaultPlan WITH_PEERS = new FaultPlan(
            DEFAULT.step(),
            Stream.concat(
                            DEFAULT.killVictims().stream(),
                            Suite.PEERS.stream().map(peer -> name(peer.relays().get(0))))
                    .toList(),
            Stream.concat(
                            Stream.of(
                                    Faults.Planned.failpoint(
                                            name(Suite.PEER_MODULITH.service()),
                                            Failpoints.PEER_AFTER_ACK_BEFORE_MARK,
                                            3),
                                    Faults.Planned.failpoint(
                                            name(Suite.PEER_NAMASTACK.service()),
                                            Failpoints.PEER_AFTER_ACK_BEFORE_MARK,
                                            3),
                                    // the order services' after-commit failpoint: Modulith externalizes after the
                                    // commit
                                    Faults.Planned.failpoint(
                                            name(Suite.PEER_MODULITH.service()),
                                            Failpoints.NAIVE_AFTER_COMMIT_BEFORE_PUBLISH,
                                            5)),
                            FAILPOINTS.stream())
                    .toList(),
            4,
            // Twenty JVMs: a restart under the workload took 1.5-3 min at 30 orders/s (lab-09b14930), and the plan's
            // end never came; a slower, longer workload leaves the cores to the restarts.
            Duration.ofSeconds(60));

    FaultPlan {
        if (infrastructureAfter < 0) {
            throw new IllegalArgumentException("infrastructureAfter counts steps, got " + infrastructureAfter);
        }
    }

    /** A plan with {@link #FAILPOINTS}, the failpoints of the patterns and the naive write. */
    FaultPlan(Duration step, List<String> killVictims) {
        this(step, killVictims, FAILPOINTS, Integer.MAX_VALUE, RESTART_ALLOWANCE);
    }

    private static String name(Application application) {
        return application.name();
    }

    /** {@code --faults}: all, none, or a comma-separated choice of {@link #KINDS}. */
    static Set<String> kinds(String value) {
        if (value.equals("all")) {
            return Set.copyOf(KINDS);
        }
        if (value.equals("none")) {
            return Set.of();
        }
        Set<String> kinds = Set.of(value.split(","));
        if (!KINDS.containsAll(kinds)) {
            throw new IllegalArgumentException("--faults takes all, none or some of " + KINDS + ", got " + value);
        }
        return kinds;
    }

    List<List<Faults.Planned>> steps(Set<String> kinds) {
        List<Faults.Planned> failpoints = kinds.contains("failpoints") ? this.failpoints : List.of();
        List<Faults.Planned> kills = kinds.contains("kill")
                ? killVictims.stream().map(Faults.Planned::kill).toList()
                : List.of();
        List<List<Faults.Planned>> steps = new ArrayList<>();
        for (int i = 0; i < Math.max(failpoints.size(), kills.size()); i++) {
            if (i < failpoints.size()) {
                steps.add(List.of(failpoints.get(i)));
            }
            if (i < kills.size()) {
                steps.add(List.of(kills.get(i)));
            }
        }
        List<List<Faults.Planned>> infrastructure = new ArrayList<>();
        if (kinds.contains("kafka")) {
            infrastructure.add(List.of(Faults.Planned.crash(Faults.Kind.KAFKA)));
        }
        if (kinds.contains("postgres")) {
            infrastructure.add(List.of(Faults.Planned.crash(Faults.Kind.POSTGRES)));
        }
        steps.addAll(Math.min(infrastructureAfter, steps.size()), infrastructure);
        return steps;
    }

    /** The rate, lowered if need be so that the workload lasts as long as the fault plan: every fault meets traffic. */
    double outlasting(List<List<Faults.Planned>> steps, int ordersPerWriter, double ratePerWriter) {
        return steps.isEmpty()
                ? ratePerWriter
                : Math.min(
                        ratePerWriter,
                        ordersPerWriter
                                / (double) step.plus(restartAllowance)
                                        .multipliedBy(steps.size() + 2)
                                        .toSeconds());
    }
}
