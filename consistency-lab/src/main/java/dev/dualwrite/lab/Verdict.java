package dev.dualwrite.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The database compared with the topic, for the orders of one run.
 *
 * @param committed         orders committed in the database
 * @param expectedEvents    events the committed changes imply: versions 1..version of every order
 * @param found             distinct (order, version) events on the topic
 * @param lost              expected events missing from the topic
 * @param phantom           events on the topic for changes the database does not have (the caller passes only the
 *                          records of its own run: an order id it does not know is an order that never committed)
 * @param duplicatesOnTopic extra copies of an event on the topic (allowed: consumers deduplicate)
 * @param reorders          records whose version is lower than one already seen for the same order
 * @param wrongKey          records whose key is not their order id
 */
record Verdict(int committed, int expectedEvents, int found, int lost, int phantom, int duplicatesOnTopic,
               int reorders, int wrongKey, List<String> examples) {

    static Verdict of(Map<UUID, Integer> committedVersions, List<TopicRecord> topic) {
        Map<UUID, Set<Integer>> seen = new HashMap<>();
        Map<UUID, Integer> highest = new HashMap<>();
        List<String> examples = new ArrayList<>();
        int duplicates = 0;
        int reorders = 0;
        int wrongKey = 0;
        int phantom = 0;
        for (TopicRecord record : topic) {
            if (record.orderId() == null) {
                continue;
            }
            if (!committedVersions.containsKey(record.orderId())) {
                phantom++;
                example(examples, "phantom: order %s version %d was never committed".formatted(record.orderId(),
                        record.version()));
                continue;
            }
            if (!record.orderId().toString().equals(record.key())) {
                wrongKey++;
            }
            if (!seen.computeIfAbsent(record.orderId(), id -> new HashSet<>()).add(record.version())) {
                duplicates++;
            }
            int before = highest.getOrDefault(record.orderId(), 0);
            if (record.version() < before) {
                reorders++;
                example(examples, "reorder: order %s version %d after %d (partition %d offset %d)"
                        .formatted(record.orderId(), record.version(), before, record.partition(), record.offset()));
            }
            highest.merge(record.orderId(), record.version(), Math::max);
        }
        int expected = 0;
        int lost = 0;
        int found = 0;
        for (Map.Entry<UUID, Integer> order : committedVersions.entrySet()) {
            Set<Integer> versions = seen.getOrDefault(order.getKey(), Set.of());
            for (int version = 1; version <= order.getValue(); version++) {
                expected++;
                if (versions.contains(version)) {
                    found++;
                } else {
                    lost++;
                    example(examples, "lost: order %s version %d".formatted(order.getKey(), version));
                }
            }
            for (int version : versions) {
                if (version > order.getValue() || version < 1) {
                    phantom++;
                    example(examples, "phantom: order %s version %d, database has %d"
                            .formatted(order.getKey(), version, order.getValue()));
                }
            }
        }
        return new Verdict(committedVersions.size(), expected, found, lost, phantom, duplicates, reorders, wrongKey,
                examples);
    }

    boolean clean() {
        return lost == 0 && phantom == 0 && reorders == 0 && wrongKey == 0;
    }

    private static void example(List<String> examples, String line) {
        if (examples.size() < 10) {
            examples.add(line);
        }
    }
}
