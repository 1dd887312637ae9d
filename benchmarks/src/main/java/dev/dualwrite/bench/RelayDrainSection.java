package dev.dualwrite.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay drain: events/s of one and two relays and of Debezium, beside the raw producer and raw SQL ceilings.
 *
 * @param rates   by the keys of {@link #LABELS}
 * @param profile where one relay's time goes, or null
 */
record RelayDrainSection(int events, Map<String, Double> rates, RelayDrainBench.Profile profile)
        implements BenchSection {

    static final Map<String, String> LABELS = labels();

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("onePollerEventsPerSecond", "one relay (outbox-relay)");
        labels.put("twoPollersEventsPerSecond", "two relays");
        labels.put("debeziumEventsPerSecond", "Debezium (insert → all on the topic)");
        labels.put("rawProducerEventsPerSecond", "ceiling: raw Kafka producer, records from memory");
        labels.put("rawSqlEventsPerSecond", "ceiling: raw SQL claim + mark, no Kafka");
        return labels;
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Long> rounded = new LinkedHashMap<>();
        rates.forEach((name, rate) -> rounded.put(name, Math.round(rate)));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("relay", rounded);
        json.put("relayEvents", events);
        if (profile != null) {
            json.put("relayProfileMs", profile);
        }
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
        double one = rates.get("onePollerEventsPerSecond");
        return List.of(new Target("one relay ≥ 25,000 events/s", "%,.0f events/s".formatted(one), one >= 25_000));
    }

    @Override
    public String markdown() {
        double producer = rates.get("rawProducerEventsPerSecond");
        double sql = rates.get("rawSqlEventsPerSecond");
        StringBuilder md = new StringBuilder("""
                ## Relay drain

                A backlog of %,d events (one per order, ~450 bytes of JSON each) in a table shaped like outbox_events,
                published to a 3-partition topic by the relay library itself (batch %d) run in the benchmark's JVM, and
                by a second Debezium connector shaped like ours on a table shaped like cdc_outbox.

                | publisher | events/s | × raw producer | × raw SQL loop |
                |---|---:|---:|---:|
                """.formatted(events, RelayDrainBench.BATCH));
        LABELS.forEach((key, label) -> md.append("| %s | %.0f | %.2f | %.2f |%n"
                .formatted(label, rates.get(key), rates.get(key) / producer, rates.get(key) / sql)));
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
