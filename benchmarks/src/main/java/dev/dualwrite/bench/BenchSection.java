package dev.dualwrite.bench;

import java.util.List;
import java.util.Map;

/**
 * One benchmark's part of the report, rendered from its result records: a Markdown section, its fields of the JSON,
 * its panels of the chart, and its rows of the targets table.
 */
interface BenchSection {

    /** A row of the report's targets table. */
    record Target(String target, String measured, boolean met) {}

    String markdown();

    /** Top-level fields of docs/benchmarks.json. */
    Map<String, Object> json();

    default void chart(BarChart chart) {}

    default List<Target> targets() {
        return List.of();
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
