package dev.dualwrite.events;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ways an order service gets its events to Kafka, each with its own event table and topic: the one place these
 * facts are written (docs/DESIGN.md). {@link #NAIVE_DUAL_WRITE} is the anti-pattern the consistency lab demonstrates;
 * it is never used for real, and has no event table. {@link #PEER_NAMASTACK} and {@link #PEER_MODULITH} are not ours:
 * order services that hand the event to namastack-outbox and to Spring Modulith's event publication registry, judged
 * beside the patterns by the same lab and benchmarks (docs/peers.md); their tables are the libraries'.
 */
public enum Pattern {
    TRANSACTIONAL_OUTBOX("outbox_events", "orders.transactional-outbox", "order-service-outbox"),
    LISTEN_TO_YOURSELF("lty_events", "orders.listen-to-yourself", "order-service-listen-to-yourself"),
    TRANSACTIONAL_LOG_TAILING("cdc_outbox", "orders.log-tailing", "order-service-log-tailing"),
    NAIVE_DUAL_WRITE(null, "orders.naive-dual-write", "order-service-naive"),
    PEER_NAMASTACK("outbox_record", "orders.peer-namastack", "order-service-peer-namastack"),
    PEER_MODULITH("event_publication", "orders.peer-modulith", "order-service-peer-modulith");

    /** Suffix of the dead-letter topic that spring-kafka's recoverer publishes to by default. */
    public static final String DEAD_LETTER_SUFFIX = ".DLT";

    private final String eventTable;
    private final String topic;
    private final String service;

    Pattern(String eventTable, String topic, String service) {
        this.eventTable = eventTable;
        this.topic = topic;
        this.service = service;
    }

    /** The order service that writes the pattern's events: their CloudEvents source ({@code ce_source}). */
    public String service() {
        return service;
    }

    /**
     * The table the order service writes its events to, in the order's transaction; null for the naive dual write; the
     * library's table for a peer.
     * The relays drain outbox_events and lty_events; log tailing's cdc_outbox stays empty (rows are deleted in the
     * transaction that inserts them, Debezium reads the inserts from the WAL).
     */
    public String eventTable() {
        return eventTable;
    }

    /**
     * Whether our relay polls the event table (log tailing has Debezium instead, the naive write no table, the peers
     * their library's own publisher).
     */
    public boolean polled() {
        return this == TRANSACTIONAL_OUTBOX || this == LISTEN_TO_YOURSELF;
    }

    /** Whether the pattern is a contender built on another library (docs/peers.md), not one of ours. */
    public boolean peer() {
        return this == PEER_NAMASTACK || this == PEER_MODULITH;
    }

    public String topic() {
        return topic;
    }

    public String deadLetterTopic() {
        return topic + DEAD_LETTER_SUFFIX;
    }

    /** Every topic of the contract, dead-letter topics included. */
    public static List<String> allTopics() {
        return Arrays.stream(values())
                .flatMap(pattern -> Stream.of(pattern.topic(), pattern.deadLetterTopic()))
                .toList();
    }
}
