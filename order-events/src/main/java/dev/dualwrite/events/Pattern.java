package dev.dualwrite.events;

import java.util.Arrays;
import java.util.List;

/**
 * The ways an order service gets its events to Kafka, each with its own topic.
 * {@link #NAIVE_DUAL_WRITE} is the anti-pattern the consistency lab demonstrates; it is never used for real.
 */
public enum Pattern {

    TRANSACTIONAL_OUTBOX("orders.transactional-outbox"),
    LISTEN_TO_YOURSELF("orders.listen-to-yourself"),
    TRANSACTIONAL_LOG_TAILING("orders.log-tailing"),
    NAIVE_DUAL_WRITE("orders.naive-dual-write");

    /** Suffix of the dead-letter topic that spring-kafka's recoverer publishes to by default. */
    public static final String DEAD_LETTER_SUFFIX = ".DLT";

    private final String topic;

    Pattern(String topic) {
        this.topic = topic;
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
                .flatMap(pattern -> java.util.stream.Stream.of(pattern.topic(), pattern.deadLetterTopic()))
                .toList();
    }
}
