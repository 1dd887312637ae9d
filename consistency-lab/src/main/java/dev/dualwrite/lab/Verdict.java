package dev.dualwrite.lab;

import dev.dualwrite.lab.Evidence.CommittedOrder;
import dev.dualwrite.lab.Evidence.TopicRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One writer's history judged against what the system produced. Every count but {@code duplicatesOnTopic} is a
 * violation for a reliable pattern.
 *
 * @param committed         orders of the run in the database
 * @param acknowledged      operations the service answered with success
 * @param indeterminate     operations without a definite answer (they may or may not have happened)
 * @param lostAcknowledged  acknowledged operations whose effect is not in the database
 * @param lost              committed (order, version) pairs with no event on the topic
 * @param phantom           events (distinct ids) of an order never committed, of a version above the committed one, or
 *                          whose type or status is not what was committed at that version
 * @param conflicting       (order, version) pairs with more than one distinct event id, and copies of one event id
 *                          whose content differs from its first copy
 * @param duplicatesOnTopic extra copies of an event id (allowed: consumers deduplicate)
 * @param reorders          events whose first copy came after the first copy of a higher version of the same order
 * @param malformed         records of the run that break the record contract: no event id or order id, or not keyed
 *                          by their order id
 * @param duplicateOrders   orders committed beyond the first for one customer: a create that happened twice
 * @param duplicateEffects  extra applications of one event by one consumer, from the append-only effect log
 * @param deadLettered      records of the run's orders on the dead-letter topic
 * @param mismatches        committed orders whose downstream view is missing or differs (status, version, events applied)
 * @param unconfirmed       listen to yourself: orders still PENDING, i.e. confirmations the service still owes
 * @param parked            relay rows of the run's orders parked (given up on until redriven)
 * @param deadLetterReasons dead letters by the exception spring-kafka recorded
 * @param examples          the first findings, for a person to look up
 */
record Verdict(
        String writer,
        int committed,
        int acknowledged,
        int indeterminate,
        int lostAcknowledged,
        int lost,
        int phantom,
        int conflicting,
        int duplicatesOnTopic,
        int reorders,
        int malformed,
        int duplicateOrders,
        int duplicateEffects,
        int deadLettered,
        int mismatches,
        int unconfirmed,
        int parked,
        Map<String, Integer> deadLetterReasons,
        List<String> examples) {

    private static final int EXAMPLES = 12;

    /** No violation: the zeros a reliable pattern must show. */
    boolean clean() {
        return lostAcknowledged == 0
                && lost == 0
                && phantom == 0
                && conflicting == 0
                && reorders == 0
                && malformed == 0
                && duplicateOrders == 0
                && duplicateEffects == 0
                && deadLettered == 0
                && mismatches == 0
                && unconfirmed == 0
                && parked == 0;
    }

    /** The count of one column by its JSON name, e.g. "lost" (what the mutants look up). */
    int count(String column) {
        return switch (column) {
            case "lostAcknowledged" -> lostAcknowledged;
            case "lost" -> lost;
            case "phantom" -> phantom;
            case "conflicting" -> conflicting;
            case "duplicatesOnTopic" -> duplicatesOnTopic;
            case "reorders" -> reorders;
            case "malformed" -> malformed;
            case "duplicateOrders" -> duplicateOrders;
            case "duplicateEffects" -> duplicateEffects;
            case "deadLettered" -> deadLettered;
            case "mismatches" -> mismatches;
            case "unconfirmed" -> unconfirmed;
            case "parked" -> parked;
            default -> throw new IllegalArgumentException("no column " + column);
        };
    }

    /** What an order's event at one version says: its type and the order's status. */
    record Content(String eventType, String status) {}

    /**
     * What the lifecycle committed at {@code version} of an order whose latest state is {@code status} at
     * {@code latest}: version 1 is OrderCreated (PENDING); a change is a confirm or a cancel, and a cancel is final, so
     * the latest state alone tells every earlier one (PENDING → CONFIRMED → CANCELLED, or PENDING → CANCELLED).
     */
    static Content committedAt(String status, int latest, int version) {
        if (version == 1) {
            return new Content("OrderCreated", "PENDING");
        }
        if (version == latest) {
            return new Content(status.equals("CANCELLED") ? "OrderCancelled" : "OrderConfirmed", status);
        }
        return new Content("OrderConfirmed", "CONFIRMED");
    }

    static Verdict judge(String writer, List<Operation> history, Evidence evidence, boolean selfConfirming) {
        List<String> examples = new ArrayList<>();
        Map<UUID, CommittedOrder> orders =
                evidence.committed().stream().collect(Collectors.toMap(CommittedOrder::id, Function.identity()));

        int acknowledged = 0;
        int indeterminate = 0;
        int lostAcknowledged = 0;
        for (Operation op : history) {
            if (op.outcome() == Operation.Outcome.INFO) {
                indeterminate++;
            }
            if (op.outcome() != Operation.Outcome.OK) {
                continue;
            }
            acknowledged++;
            String missing = missingEffect(op, orders.get(op.orderId()));
            if (missing != null) {
                lostAcknowledged++;
                example(
                        examples,
                        "lostAcknowledged: %s %s of order %s answered version %s at %d µs, but %s"
                                .formatted(
                                        op.type(),
                                        op.idempotencyKey() == null ? "" : "(key " + op.idempotencyKey() + ")",
                                        op.orderId(),
                                        op.version(),
                                        op.endMicros(),
                                        missing));
            }
        }

        // Records in log order; an order's records share one partition when keyed right.
        List<TopicRecord> records = evidence.topic().stream()
                .sorted(Comparator.comparingInt(TopicRecord::partition).thenComparingLong(TopicRecord::offset))
                .toList();
        Map<UUID, TopicRecord> firstCopy = new HashMap<>();
        Map<UUID, Map<Integer, Set<UUID>>> idsByVersion = new HashMap<>();
        Map<UUID, Integer> highestFirstCopy = new HashMap<>();
        int duplicates = 0;
        int reorders = 0;
        int malformed = 0;
        int conflicting = 0;
        for (TopicRecord record : records) {
            if (record.orderId() == null || record.eventId() == null) {
                malformed++;
                example(
                        examples,
                        "malformed: no event id or order id at partition %d offset %d"
                                .formatted(record.partition(), record.offset()));
                continue;
            }
            if (!record.orderId().toString().equals(record.key())) {
                malformed++;
                example(
                        examples,
                        "malformed: event %s of order %s keyed %s"
                                .formatted(record.eventId(), record.orderId(), record.key()));
            }
            TopicRecord first = firstCopy.putIfAbsent(record.eventId(), record);
            if (first != null) {
                duplicates++;
                if (!sameEvent(first, record)) {
                    conflicting++;
                    example(
                            examples,
                            "conflicting: event %s at offset %d differs from its first copy at offset %d"
                                    .formatted(record.eventId(), record.offset(), first.offset()));
                }
                continue;
            }
            idsByVersion
                    .computeIfAbsent(record.orderId(), id -> new TreeMap<>())
                    .computeIfAbsent(record.version(), version -> new HashSet<>())
                    .add(record.eventId());
            int before = highestFirstCopy.getOrDefault(record.orderId(), 0);
            if (record.version() < before) {
                reorders++;
                example(
                        examples,
                        "reorder: order %s version %d first seen after version %d (partition %d offset %d)"
                                .formatted(
                                        record.orderId(),
                                        record.version(),
                                        before,
                                        record.partition(),
                                        record.offset()));
            }
            highestFirstCopy.merge(record.orderId(), record.version(), Math::max);
        }

        int phantom = 0;
        for (TopicRecord record : firstCopy.values()) {
            CommittedOrder order = orders.get(record.orderId());
            String why = null;
            if (order == null) {
                why = "the order was never committed";
            } else if (record.version() < 1 || record.version() > order.version()) {
                why = "the database has version " + order.version();
            } else {
                Content expected = committedAt(order.status(), order.version(), record.version());
                if (!expected.equals(new Content(record.eventType(), record.status()))) {
                    why = "%s/%s was committed at that version".formatted(expected.eventType(), expected.status());
                }
            }
            if (why != null) {
                phantom++;
                example(
                        examples,
                        "phantom: event %s, %s/%s of order %s version %d: %s"
                                .formatted(
                                        record.eventId(),
                                        record.eventType(),
                                        record.status(),
                                        record.orderId(),
                                        record.version(),
                                        why));
            }
        }

        for (Map.Entry<UUID, Map<Integer, Set<UUID>>> order : idsByVersion.entrySet()) {
            for (Map.Entry<Integer, Set<UUID>> version : order.getValue().entrySet()) {
                if (version.getValue().size() > 1) {
                    conflicting++;
                    example(
                            examples,
                            "conflicting: order %s version %d has events %s"
                                    .formatted(order.getKey(), version.getKey(), version.getValue()));
                }
            }
        }

        int lost = 0;
        int mismatches = 0;
        int unconfirmed = 0;
        for (CommittedOrder order : evidence.committed()) {
            Map<Integer, Set<UUID>> seen = idsByVersion.getOrDefault(order.id(), Map.of());
            for (int version = 1; version <= order.version(); version++) {
                if (!seen.containsKey(version)) {
                    lost++;
                    example(
                            examples,
                            "lost: order %s version %d (of %d, %s)"
                                    .formatted(order.id(), version, order.version(), order.status()));
                }
            }
            Evidence.Downstream view = evidence.downstream().get(order.id());
            if (view == null
                    || !view.status().equals(order.status())
                    || view.version() != order.version()
                    || view.eventsApplied() != order.version()) {
                mismatches++;
                example(
                        examples,
                        "mismatch: order %s is %s version %d, downstream %s"
                                .formatted(
                                        order.id(),
                                        order.status(),
                                        order.version(),
                                        view == null
                                                ? "has nothing"
                                                : "%s version %d, %d applied"
                                                        .formatted(
                                                                view.status(), view.version(), view.eventsApplied())));
            }
            if (selfConfirming && order.status().equals("PENDING")) {
                unconfirmed++;
                example(examples, "unconfirmed: order %s is still PENDING".formatted(order.id()));
            }
        }

        int duplicateOrders = 0;
        Map<String, Long> ordersPerCustomer = evidence.committed().stream()
                .collect(Collectors.groupingBy(CommittedOrder::customerId, Collectors.counting()));
        for (Map.Entry<String, Long> customer : ordersPerCustomer.entrySet()) {
            if (customer.getValue() > 1) {
                duplicateOrders += (int) (customer.getValue() - 1);
                example(
                        examples,
                        "duplicateOrders: customer %s has %d orders, one create each"
                                .formatted(customer.getKey(), customer.getValue()));
            }
        }

        int duplicateEffects = 0;
        Map<String, Long> applications = evidence.effects().stream()
                .collect(Collectors.groupingBy(
                        effect -> effect.consumer() + " " + effect.eventId(), Collectors.counting()));
        for (Map.Entry<String, Long> applied : applications.entrySet()) {
            if (applied.getValue() > 1) {
                duplicateEffects += (int) (applied.getValue() - 1);
                example(
                        examples,
                        "duplicateEffect: %s applied %d times".formatted(applied.getKey(), applied.getValue()));
            }
        }

        Map<String, Integer> reasons = new TreeMap<>();
        for (Evidence.DeadLetter letter : evidence.deadLetters()) {
            reasons.merge(letter.reason(), 1, Integer::sum);
            example(
                    examples,
                    "deadLettered: key %s event %s (DLT partition %d offset %d): %s"
                            .formatted(
                                    letter.key(),
                                    letter.eventId(),
                                    letter.partition(),
                                    letter.offset(),
                                    letter.reason()));
        }

        return new Verdict(
                writer,
                evidence.committed().size(),
                acknowledged,
                indeterminate,
                lostAcknowledged,
                lost,
                phantom,
                conflicting,
                duplicates,
                reorders,
                malformed,
                duplicateOrders,
                duplicateEffects,
                evidence.deadLetters().size(),
                mismatches,
                unconfirmed,
                evidence.parked(),
                reasons,
                examples);
    }

    private static boolean sameEvent(TopicRecord first, TopicRecord copy) {
        return first.orderId().equals(copy.orderId())
                && first.version() == copy.version()
                && Objects.equals(first.eventType(), copy.eventType())
                && Objects.equals(first.status(), copy.status());
    }

    /** Why the database does not show an acknowledged operation, or null when it does. */
    private static String missingEffect(Operation op, CommittedOrder order) {
        if (order == null) {
            return "the order is not in the database";
        }
        int version = op.version() == null ? 1 : op.version();
        return switch (op.type()) {
            case CREATE -> null;
            case CONFIRM ->
                version > order.version()
                                || !committedAt(order.status(), order.version(), version)
                                        .status()
                                        .equals("CONFIRMED")
                        ? "the database has %s version %d".formatted(order.status(), order.version())
                        : null;
            case CANCEL ->
                !order.status().equals("CANCELLED") || order.version() != version
                        ? "the database has %s version %d".formatted(order.status(), order.version())
                        : null;
        };
    }

    private static void example(List<String> examples, String line) {
        if (examples.size() < EXAMPLES) {
            examples.add(line);
        }
    }
}
