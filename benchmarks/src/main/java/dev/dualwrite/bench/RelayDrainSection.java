package dev.dualwrite.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay drain: events/s of one and two relays and of Debezium, beside the raw producer and raw SQL ceilings.
 *
 * @param rates                     by the keys of {@link #LABELS}
 * @param onePollerByEventsPerOrder one relay's rate with 1, 3 and 10 events per order
 * @param rawSqlByEventsPerOrder    the raw SQL loop's rate with as many
 * @param profile                   where one relay's time goes, or null
 */
record RelayDrainSection(
        int events,
        Map<String, Double> rates,
        Map<Integer, Double> onePollerByEventsPerOrder,
        Map<Integer, Double> rawSqlByEventsPerOrder,
        RelayDrainBench.Profile profile)
        implements BenchSection {

    static final Map<String, String> LABELS = labels();

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("onePollerEventsPerSecond", "one relay (outbox-relay)");
        labels.put("twoPollersEventsPerSecond", "two relays");
        labels.put("debeziumEventsPerSecond", "Debezium (commit → all on the topic)");
        labels.put("rawProducerEventsPerSecond", "ceiling: raw Kafka producer, records from memory");
        labels.put("rawSqlEventsPerSecond", "ceiling: raw SQL claim + mark, no Kafka");
        return labels;
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Object> rounded = new LinkedHashMap<>();
        rates.forEach((name, rate) -> rounded.put(name, Math.round(rate)));
        rounded.put("onePollerEventsPerSecondByEventsPerOrder", byEventsPerOrder(onePollerByEventsPerOrder));
        rounded.put("rawSqlEventsPerSecondByEventsPerOrder", byEventsPerOrder(rawSqlByEventsPerOrder));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("relay", rounded);
        json.put("relayEvents", events);
        if (profile != null) {
            json.put("relayProfileMs", profile);
        }
        return json;
    }

    private static Map<String, Long> byEventsPerOrder(Map<Integer, Double> rates) {
        Map<String, Long> json = new LinkedHashMap<>();
        rates.forEach((perOrder, rate) -> json.put(Integer.toString(perOrder), Math.round(rate)));
        return json;
    }

    @Override
    public void chart(BarChart chart) {
        chart.panel(
                "Relay drain of " + events + " events",
                "events/s",
                LABELS.entrySet().stream()
                        .map(label -> new BarChart.Bar(label.getValue(), rates.get(label.getKey())))
                        .toList());
    }

    @Override
    public List<Target> targets() {
        double relay = onePollerByEventsPerOrder.getOrDefault(3, Double.NaN);
        double sql = rawSqlByEventsPerOrder.getOrDefault(3, Double.NaN);
        return List.of(new Target(
                "one relay ≥ 0.9× the raw SQL claim-and-mark loop, 3 events per order",
                "%,.0f of %,.0f events/s: %.2f×".formatted(relay, sql, relay / sql),
                relay / sql >= 0.9));
    }

    @Override
    public String markdown() {
        double producer = rates.get("rawProducerEventsPerSecond");
        double sql = rates.get("rawSqlEventsPerSecond");
        StringBuilder md = new StringBuilder("""
                ## Relay drain

                A backlog of %,d events (one per order unless said otherwise, ~450 bytes of JSON each) in a table
                shaped like outbox_events, published to a 3-partition topic by the relay library itself (batch %d) run
                in the benchmark's JVM, and by a second Debezium connector shaped like ours on a table shaped like
                cdc_outbox. Every stopwatch starts once the backlog is committed (Debezium's too: it reads nothing of a
                transaction before its commit).

                | publisher | events/s | × raw producer | × raw SQL loop |
                |---|---:|---:|---:|
                """.formatted(events, RelayDrainBench.BATCH));
        LABELS.forEach((key, label) -> md.append("| %s | %.0f | %.2f | %.2f |%n"
                .formatted(label, rates.get(key), rates.get(key) / producer, rates.get(key) / sql)));
        md.append("""

                **Several events per order.** The relay sends at most one event per order at a time (an order's events
                reach Kafka in version order whatever the number of relays): its claim takes only the earliest
                unpublished event of each order. Here each order's events are interleaved with about 100 other orders'
                events, as concurrent orders are; the raw SQL loop uses the same claim.

                | events per order | one relay events/s | raw SQL loop events/s | relay × raw SQL |
                |---:|---:|---:|---:|
                """);
        onePollerByEventsPerOrder.forEach((perOrder, relay) -> md.append("| %d | %.0f | %.0f | %.2f |%n"
                .formatted(
                        perOrder,
                        relay,
                        rawSqlByEventsPerOrder.get(perOrder),
                        relay / rawSqlByEventsPerOrder.get(perOrder))));
        if (profile != null) {
            double total = profile.totalMs();
            md.append("""

                    **Where one relay's time goes** (one more drain with a stopwatch around each step, %d rounds):
                    claim query %.0f%%, sending and awaiting every acknowledgement %.0f%%, mark %.0f%%, commit and the rest
                    %.0f%%. The SQL (claim + mark + commit) is %.0f%% of a round; the raw SQL loop, the same statements
                    without Kafka, is the ceiling one relay cannot pass, and it reached %.2f of it. A second relay
                    overlaps one relay's wait for acks with the other's SQL. Debezium pays for the Connect pipeline
                    (conversion, EventRouter, offsets) on its one task after the rows committed.
                    """.formatted(
                            profile.rounds(),
                            100 * profile.claimMs() / total,
                            100 * profile.sendAndAckMs() / total,
                            100 * profile.markMs() / total,
                            100 * profile.commitAndRestMs() / total,
                            100 * (profile.claimMs() + profile.markMs() + profile.commitAndRestMs()) / total,
                            rates.get("onePollerEventsPerSecond") / sql));
        }
        return md.append("\n").toString();
    }
}
