package dev.dualwrite.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay drain: events/s of one and two relays and of Debezium, beside the raw producer and raw SQL ceilings.
 *
 * @param rates                     by the keys of {@link #LABELS}
 * @param onePollerByEventsPerOrder  one relay's rate with 1, 3 and 10 events per order (two rounds in flight, the
 *                                   pollers' default)
 * @param onePollerOneRoundByEventsPerOrder one relay's rate one round at a time, with as many
 * @param twoPollersByEventsPerOrder two relays' rate with as many
 * @param rawSqlByEventsPerOrder     the raw SQL loop's rate with as many
 * @param onePollerBusyByEventsPerOrder the machine's busy share (all cores, %) during one relay's counted drains
 * @param rawSqlBusyByEventsPerOrder the same during the raw SQL loop's
 * @param rawProducerBusy            the same during the raw producer's drain
 * @param backgroundBusy             the same over two seconds before the drains, nothing drained (the suite idling)
 * @param cores                      the machine's cores (the base of the busy shares)
 * @param profile                    where one relay's time goes, or null
 * @param peers                      with --peers, each peer's drains by events per order (docs/peers.md); else empty
 */
record RelayDrainSection(
        int events,
        Map<String, Double> rates,
        Map<Integer, Double> onePollerByEventsPerOrder,
        Map<Integer, Double> onePollerOneRoundByEventsPerOrder,
        Map<Integer, Double> twoPollersByEventsPerOrder,
        Map<Integer, Double> rawSqlByEventsPerOrder,
        Map<Integer, Double> onePollerBusyByEventsPerOrder,
        Map<Integer, Double> rawSqlBusyByEventsPerOrder,
        double rawProducerBusy,
        double backgroundBusy,
        int cores,
        RelayDrainBench.Profile profile,
        Map<String, Map<Integer, PeerDrainBench.Drain>> peers)
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
        rounded.put(
                "onePollerOneRoundAtATimeEventsPerSecondByEventsPerOrder",
                byEventsPerOrder(onePollerOneRoundByEventsPerOrder));
        rounded.put("twoPollersEventsPerSecondByEventsPerOrder", byEventsPerOrder(twoPollersByEventsPerOrder));
        rounded.put("rawSqlEventsPerSecondByEventsPerOrder", byEventsPerOrder(rawSqlByEventsPerOrder));
        rounded.put("onePollerMachineBusyPercentByEventsPerOrder", byEventsPerOrder(onePollerBusyByEventsPerOrder));
        rounded.put("rawSqlMachineBusyPercentByEventsPerOrder", byEventsPerOrder(rawSqlBusyByEventsPerOrder));
        rounded.put("rawProducerMachineBusyPercent", rounded(rawProducerBusy));
        rounded.put("backgroundMachineBusyPercent", rounded(backgroundBusy));
        if (!peers.isEmpty()) {
            Map<String, Object> peerJson = new LinkedHashMap<>();
            peers.forEach((peer, drains) -> {
                Map<String, Object> byEventsPerOrder = new LinkedHashMap<>();
                drains.forEach((perOrder, drain) -> {
                    Map<String, Object> figures = new LinkedHashMap<>();
                    figures.put("eventsPerSecond", Math.round(drain.eventsPerSecond()));
                    figures.put(
                            "ratioToTwoRelays",
                            Math.round(100 * drain.eventsPerSecond() / twoPollersByEventsPerOrder.get(perOrder))
                                    / 100.0);
                    figures.put("events", drain.events());
                    figures.put("sent", drain.sent());
                    figures.put("seconds", Math.round(100 * drain.seconds()) / 100.0);
                    figures.put(
                            "firstSentSeconds",
                            drain.sent() == 0 ? null : Math.round(100 * drain.firstSentSeconds()) / 100.0);
                    byEventsPerOrder.put(Integer.toString(perOrder), figures);
                });
                peerJson.put(peer, byEventsPerOrder);
            });
            rounded.put("peersByEventsPerOrder", peerJson);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("relay", rounded);
        json.put("relayEvents", events);
        if (profile != null) {
            json.put("relayProfileMs", profile);
        }
        return json;
    }

    /**
     * The relay against an estimate of what the machine allows: a relay cannot do less than the raw loop's SQL and the
     * raw producer's sending, and on this machine both take their CPU from the same cores. Their CPU per event (less
     * the suite's idling) added up gives the rate of a machine doing only that, fully busy — if the CPU per event
     * stayed what it was at the busy share measured.
     */
    private String machineBound(int perOrder) {
        double relay = onePollerByEventsPerOrder.getOrDefault(perOrder, Double.NaN);
        double sql = rawSqlByEventsPerOrder.getOrDefault(perOrder, Double.NaN);
        double producer = rates.get("rawProducerEventsPerSecond");
        double relayBusy = onePollerBusyByEventsPerOrder.getOrDefault(perOrder, Double.NaN);
        double sqlBusy = rawSqlBusyByEventsPerOrder.getOrDefault(perOrder, Double.NaN);
        // The idle suite's share is taken out only when the suite was idle: sampled while it still worked off what
        // came before (80 % busy after a quick run's warm-up), it would exceed a drain's own share.
        boolean idle = backgroundBusy < Math.min(sqlBusy, Math.min(rawProducerBusy, relayBusy)) / 2;
        double background = idle ? backgroundBusy : 0;
        double relayCpu = cpuMicrosPerEvent(relay, relayBusy, background);
        double sqlCpu = cpuMicrosPerEvent(sql, sqlBusy, background);
        double producerCpu = cpuMicrosPerEvent(producer, rawProducerBusy, background);
        double bound = cores * (100 - background) / 100 * 1e6 / (sqlCpu + producerCpu);
        if (Double.isNaN(bound) || Double.isNaN(relayCpu)) {
            return "";
        }
        String backgroundNote = idle
                ? "Less that background"
                : "The suite was not idle then, so nothing is taken out: both halves below carry its share, and the"
                        + " estimate reads low. So";
        return """

                **What the machine allows, estimated.** Before the drains, with nothing drained, the rest of the
                suite kept the machine %.0f %% busy. With %d events per order the raw SQL loop kept it %.0f %% busy
                (one connection, one round at a time), the raw producer %.0f %% (one event per order, the relay's
                headers on each record), one relay %.0f %%. %s, as CPU per event of all %d cores:
                the raw loop's SQL %.1f µs plus the raw producer's sending (its producer and the broker) %.1f µs —
                %.1f µs that a relay cannot do without, and that here share the cores with PostgreSQL; one relay used
                %.1f µs. A machine that did only that sum, at that cost per event, with all of its CPU but the
                background's, would drain %,.0f events/s: one relay reached %.2f× that, where it reached %.2f× the raw
                loop (which leaves the producer's and the broker's share of the cores to the loop).
                """.formatted(
                        backgroundBusy,
                        perOrder,
                        sqlBusy,
                        rawProducerBusy,
                        relayBusy,
                        backgroundNote,
                        cores,
                        sqlCpu,
                        producerCpu,
                        sqlCpu + producerCpu,
                        relayCpu,
                        bound,
                        relay / bound,
                        relay / sql);
    }

    /**
     * Machine CPU (all cores) per event, in µs, of a drain at {@code rate} that kept the machine busyPercent busy,
     * less the background's share.
     */
    private double cpuMicrosPerEvent(double rate, double busyPercent, double background) {
        return (busyPercent - background) / 100 * cores * 1e6 / rate;
    }

    private static Map<String, Long> byEventsPerOrder(Map<Integer, Double> figures) {
        Map<String, Long> json = new LinkedHashMap<>();
        figures.forEach((perOrder, figure) -> json.put(Integer.toString(perOrder), rounded(figure)));
        return json;
    }

    /** Rounded, or null (not 0) for a figure that could not be read. */
    private static Long rounded(double figure) {
        return Double.isNaN(figure) ? null : Math.round(figure);
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
        double oneRound = onePollerOneRoundByEventsPerOrder.getOrDefault(3, Double.NaN);
        return List.of(new Target(
                "one relay ≥ 0.9× the raw SQL claim-and-mark loop, 3 events per order",
                ("%,.0f of %,.0f events/s: %.2f× (two rounds in flight, the default, against the loop's one at a time;"
                                + " one round at a time %,.0f: %.2f×)")
                        .formatted(relay, sql, relay / sql, oneRound, oneRound / sql),
                relay / sql >= 0.9));
    }

    private String peersMarkdown() {
        int peerEvents =
                peers.values().iterator().next().values().iterator().next().events();
        StringBuilder md = new StringBuilder("""

                **The peers' drain** (`--peers`, docs/peers.md). The same backlog shape, %,d events (a fifth of the
                relays' backlog, so that the slower library is not given the whole run), written into each library's
                own table in the rows the library writes, and drained by the peer's two running instances — compared
                with two of our relays. Timed from the backlog's commit until the library recorded every row as sent,
                for at most a window (then credited with what it sent within it). namastack polls for due records;
                Modulith has no poller and drains a backlog (what a broker outage leaves behind) only when the
                application resubmits it: here each instance every 10 s, at most 1,000 publications a call (the
                order service's `peer.resubmission` settings, docs/peers.md) — a ceiling of 200 events/s for two.

                | events per order | two relays events/s | %s |
                |---:|---:|%s
                """.formatted(
                        peerEvents,
                        String.join(
                                " | ",
                                peers.keySet().stream()
                                        .map(peer -> peer + " events/s (sent, s, first sent after) | × two relays")
                                        .toList()),
                        "---:|---:|".repeat(peers.size())));
        for (int perOrder : twoPollersByEventsPerOrder.keySet()) {
            double relays = twoPollersByEventsPerOrder.get(perOrder);
            md.append("| %d | %,.0f |".formatted(perOrder, relays));
            peers.values().forEach(drains -> {
                PeerDrainBench.Drain drain = drains.get(perOrder);
                md.append(" %,.0f (%,d of %,d, %.1f s, %s) | %.2f |"
                        .formatted(
                                drain.eventsPerSecond(),
                                drain.sent(),
                                drain.events(),
                                drain.seconds(),
                                drain.sent() == 0 ? "—" : "%.1f s".formatted(drain.firstSentSeconds()),
                                drain.eventsPerSecond() / relays));
            });
            md.append("\n");
        }
        return md.toString();
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
                events, as concurrent orders are; the raw SQL loop uses the same claim. Each relay runs on its own
                threads as the pollers run it: rounds back to back while claims come back full, and through such a
                backlog two rounds in flight (`relay.rounds-in-flight`, default 2): a second round claims and sends
                while the first awaits Kafka's acknowledgements and marks. The raw SQL loop runs one round at a time,
                without Kafka: the SQL a relay cannot avoid — on one connection, where two rounds in flight use two
                (their SQL overlaps too). "One round at a time" is one relay with `rounds-in-flight=1`. One relay
                (both ways) and the raw loop each drain the backlog twice, interleaved, and the better drain counts: a
                drain lasts seconds, and a stall only ever slows one. Two relays and Debezium drain once: beside one
                relay they are one drain against the better of two.

                | events per order | one relay events/s | raw SQL loop events/s | relay × raw SQL | one relay, one round at a time | × raw SQL | machine busy: relay / raw loop |
                |---:|---:|---:|---:|---:|---:|---:|
                """);
        onePollerByEventsPerOrder.forEach(
                (perOrder, relay) -> md.append("| %d | %.0f | %.0f | %.2f | %.0f | %.2f | %.0f %% / %.0f %% |%n"
                        .formatted(
                                perOrder,
                                relay,
                                rawSqlByEventsPerOrder.get(perOrder),
                                relay / rawSqlByEventsPerOrder.get(perOrder),
                                onePollerOneRoundByEventsPerOrder.get(perOrder),
                                onePollerOneRoundByEventsPerOrder.get(perOrder) / rawSqlByEventsPerOrder.get(perOrder),
                                onePollerBusyByEventsPerOrder.get(perOrder),
                                rawSqlBusyByEventsPerOrder.get(perOrder))));
        md.append(machineBound(3));
        md.append("""

                Two relays with as many events per order: %s events/s (1, 3 and 10 per order).
                """.formatted(String.join(
                " / ",
                twoPollersByEventsPerOrder.values().stream()
                        .map(rate -> "%,.0f".formatted(rate))
                        .toList())));
        if (!peers.isEmpty()) {
            md.append(peersMarkdown());
        }
        if (profile != null) {
            double total = profile.totalMs();
            md.append("""

                    **Where one round's time goes** (one more drain, one round at a time, with a stopwatch around
                    each step, %d rounds): claim query %.0f%%, sending and awaiting every acknowledgement %.0f%%, mark
                    %.0f%%, commit and the rest %.0f%%. The SQL (claim + mark + commit) is %.0f%% of a round: one round
                    at a time, a relay cannot pass that share of the raw SQL loop, and it reached %.2f of it. With two
                    rounds in flight the wait for Kafka overlaps the other round's SQL, and the two rounds' SQL runs on
                    two connections at once, which the one-at-a-time raw loop does not: one relay reached %.2f of it.
                    Debezium pays for the Connect pipeline (conversion, EventRouter, offsets) on its one task after the
                    rows committed.
                    """.formatted(
                            profile.rounds(),
                            100 * profile.claimMs() / total,
                            100 * profile.sendAndAckMs() / total,
                            100 * profile.markMs() / total,
                            100 * profile.commitAndRestMs() / total,
                            100 * (profile.claimMs() + profile.markMs() + profile.commitAndRestMs()) / total,
                            onePollerOneRoundByEventsPerOrder.get(1) / sql,
                            rates.get("onePollerEventsPerSecond") / sql));
        }
        return md.append("\n").toString();
    }
}
