package dev.dualwrite.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The relay drain's estimate of what the machine allows, from the drains' rates and busy shares. */
class RelayDrainSectionTest {

    @Test
    void anIdleSuitesShareIsTakenOutOfEveryDrainsCpuPerEvent() {
        String md = section(10).markdown();

        // SQL (60 − 10) % of 2 cores at 20,000/s, the producer (90 − 10) % at 100,000/s, the relay (90 − 10) % at
        // 16,000/s
        assertThat(md)
                .contains("Less that background")
                .contains("the raw loop's SQL 50.0 µs")
                .contains("sending (its producer and the broker) 16.0 µs")
                .contains("66.0 µs that a relay cannot do without")
                .contains("one relay used\n100.0 µs")
                .contains("would drain 27,273 events/s: one relay reached 0.59× that");
    }

    @Test
    void aSuiteStillBusyBeforeTheDrainsIsNotTakenOutAndTheReportSaysSo() {
        String md = section(80).markdown();

        assertThat(md).contains("nothing is taken out").contains("the raw loop's SQL 60.0 µs");
    }

    @Test
    void aBusyShareThatCouldNotBeReadIsNullInTheJsonNotZero() {
        Map<String, Object> relay = (Map<String, Object>) section(10).json().get("relay");

        assertThat((Map<String, Long>) relay.get("onePollerMachineBusyPercentByEventsPerOrder"))
                .containsEntry("3", 90L)
                .containsEntry("10", null);
    }

    private static RelayDrainSection section(double backgroundBusy) {
        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("onePollerEventsPerSecond", 15_000.0);
        rates.put("twoPollersEventsPerSecond", 14_000.0);
        rates.put("debeziumEventsPerSecond", 9_000.0);
        rates.put("rawProducerEventsPerSecond", 100_000.0);
        rates.put("rawSqlEventsPerSecond", 20_000.0);
        return new RelayDrainSection(
                100_000,
                rates,
                byEventsPerOrder(15_000, 16_000, 14_000),
                byEventsPerOrder(14_000, 15_000, 15_000),
                byEventsPerOrder(14_000, 13_000, 9_000),
                byEventsPerOrder(20_000, 20_000, 19_000),
                byEventsPerOrder(92, 90, Double.NaN),
                byEventsPerOrder(60, 60, 62),
                90,
                backgroundBusy,
                2,
                null,
                Map.of());
    }

    private static Map<Integer, Double> byEventsPerOrder(double one, double three, double ten) {
        Map<Integer, Double> figures = new LinkedHashMap<>();
        figures.put(1, one);
        figures.put(3, three);
        figures.put(10, ten);
        return figures;
    }
}
