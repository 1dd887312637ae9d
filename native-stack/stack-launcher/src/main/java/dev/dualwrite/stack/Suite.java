package dev.dualwrite.stack;

import dev.dualwrite.events.Pattern;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The suite's manifest: every deployable with its port, and for each pattern its order service and the relays that
 * carry its events (the event table and topic are the {@link Pattern}'s). The launcher and the scripts, the lab, the
 * benchmarks and the tests read it; docs/DESIGN.md says the same in prose.
 */
public final class Suite {

    /**
     * One pattern as deployed.
     *
     * @param service the order service clients call
     * @param relays  the instances that relay its event table to its topic (none for log tailing: Debezium in Kafka
     *                Connect reads the WAL; none for the naive write: it sends to Kafka itself)
     * @param label   how reports name it
     */
    public record Deployment(Pattern pattern, Application service, List<Application> relays, String label) {

        public String eventTable() {
            return pattern.eventTable();
        }

        public String topic() {
            return pattern.topic();
        }
    }

    public static final Deployment OUTBOX = new Deployment(
            Pattern.TRANSACTIONAL_OUTBOX,
            new Application("order-service-outbox", "order-service-outbox", 8081),
            List.of(
                    new Application("outbox-poller-1", "outbox-poller", 8091),
                    new Application("outbox-poller-2", "outbox-poller", 8092)),
            "transactional outbox");

    public static final Deployment LISTEN_TO_YOURSELF = new Deployment(
            Pattern.LISTEN_TO_YOURSELF,
            new Application("order-service-listen-to-yourself", "order-service-listen-to-yourself", 8082),
            List.of(
                    new Application("lty-poller-1", "lty-poller", 8093),
                    new Application("lty-poller-2", "lty-poller", 8094)),
            "listen to yourself");

    public static final Deployment LOG_TAILING = new Deployment(
            Pattern.TRANSACTIONAL_LOG_TAILING,
            new Application("order-service-log-tailing", "order-service-log-tailing", 8084),
            List.of(),
            "transaction log tailing");

    /** The three reliable patterns. */
    public static final List<Deployment> PATTERNS = List.of(OUTBOX, LISTEN_TO_YOURSELF, LOG_TAILING);

    /** The downstream view of every pattern's topic. */
    public static final Application ORDER_CONSUMER = new Application("order-consumer", "order-consumer", 8085);

    /**
     * The naive dual write (the anti-pattern), commit then publish: in the lab, and beside the patterns in the standing
     * stack for the console.
     */
    public static final Deployment NAIVE = new Deployment(
            Pattern.NAIVE_DUAL_WRITE,
            new Application("order-service-naive", "order-service-naive", 8086),
            List.of(),
            "naive: commit, then publish");

    /**
     * The naive dual write's other order of the two writes, beside {@link #NAIVE} in the lab: it sends the event
     * first and commits after, so a crash in between leaves an event of an order that never committed.
     */
    public static final Deployment NAIVE_PUBLISH_FIRST = new Deployment(
            Pattern.NAIVE_DUAL_WRITE,
            new Application(
                    "order-service-naive-publish-first",
                    "order-service-naive",
                    8088,
                    Map.of("NAIVE_MODE", "PUBLISH_THEN_COMMIT")),
            List.of(),
            "naive: publish, then commit");

    /**
     * The benchmarks' baseline: the naive service's code with its event turned off, i.e. the same HTTP, SQL and
     * transaction path as every order service, writing the order and nothing else. Started only by ./bench.sh.
     */
    public static final Application PLAIN_INSERT = new Application(
            "order-service-plain-insert",
            "order-service-naive",
            8087,
            Map.of("NAIVE_MODE", "NO_EVENT", "SPRING_APPLICATION_NAME", "order-service-plain-insert"));

    /**
     * A peer (docs/peers.md): namastack-outbox in our order service. Each instance writes orders and publishes (the
     * library's scheduler shares the outbox's partitions among the live instances): the lab's clients call the first,
     * the second is the one its "relay" faults kill.
     */
    public static final Deployment PEER_NAMASTACK = new Deployment(
            Pattern.PEER_NAMASTACK,
            new Application("order-service-peer-namastack", "order-service-peer-namastack", 8095),
            List.of(new Application("order-service-peer-namastack-2", "order-service-peer-namastack", 8096)),
            "peer: namastack-outbox");

    /**
     * A peer (docs/peers.md): Spring Modulith's event publication registry and Kafka externalization in our order
     * service; two instances as {@link #PEER_NAMASTACK}.
     */
    public static final Deployment PEER_MODULITH = new Deployment(
            Pattern.PEER_MODULITH,
            new Application("order-service-peer-modulith", "order-service-peer-modulith", 8097),
            List.of(new Application("order-service-peer-modulith-2", "order-service-peer-modulith", 8098)),
            "peer: Spring Modulith");

    /** The peers, judged beside the patterns by {@code ./lab.sh run --peers}. */
    public static final List<Deployment> PEERS = List.of(PEER_NAMASTACK, PEER_MODULITH);

    /** Every instance of the peers. */
    public static final List<Application> PEER_INSTANCES = PEERS.stream()
            .flatMap(peer -> Stream.concat(Stream.of(peer.service()), peer.relays().stream()))
            .toList();

    /** Every deployable of the design, each pattern's service first, then the consumer, then the relays. */
    public static final List<Application> ALL = Stream.of(
                    PATTERNS.stream().map(Deployment::service),
                    Stream.of(ORDER_CONSUMER),
                    PATTERNS.stream().flatMap(deployment -> deployment.relays().stream()))
            .flatMap(applications -> applications)
            .toList();

    /** Every deployable and the lab's naive service. */
    public static final List<Application> WITH_NAIVE = append(ALL, NAIVE.service());

    /**
     * The live console (8080): the patterns and the naive write side by side, read from every process above; started
     * with the standing stack, under the lab profile it can also kill and restart them.
     */
    public static final Application CONSOLE = new Application("console", "console", 8080);

    /** What ./start_all_services.sh runs: every deployable, the naive write beside them for the console, the console. */
    public static final List<Application> STANDING = append(WITH_NAIVE, CONSOLE);

    /** What the consistency lab runs: every deployable and the naive dual write in both orders of its two writes. */
    public static final List<Application> LAB = append(WITH_NAIVE, NAIVE_PUBLISH_FIRST.service());

    /** Every instance any command starts: what stop, status and the tests' clean-up look for. */
    public static final List<Application> EVERY_INSTANCE = Stream.of(
                    LAB.stream(), Stream.of(PLAIN_INSERT, CONSOLE), PEER_INSTANCES.stream())
            .flatMap(applications -> applications)
            .toList();

    private Suite() {}

    private static List<Application> append(List<Application> list, Application application) {
        return Stream.concat(list.stream(), Stream.of(application)).toList();
    }
}
