package dev.dualwrite.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain SVG of horizontal bar panels, one under the other: enough for a report that renders on GitHub. */
final class BarChart {

    record Bar(String label, double value) {}

    private record Panel(String title, String unit, List<Bar> bars) {}

    private static final int WIDTH = 760;
    private static final int LABEL_WIDTH = 250;
    private static final int BAR_HEIGHT = 18;
    private static final int GAP = 6;

    private final List<Panel> panels = new ArrayList<>();

    BarChart panel(String title, String unit, List<Bar> bars) {
        panels.add(new Panel(title, unit, bars));
        return this;
    }

    String svg() {
        StringBuilder body = new StringBuilder();
        int y = 10;
        for (Panel panel : panels) {
            y += 20;
            body.append(text(10, y, panel.title(), "font-weight:bold"));
            y += 10;
            double max = panel.bars().stream()
                    .mapToDouble(Bar::value)
                    .filter(Double::isFinite)
                    .max()
                    .orElse(1);
            int room = WIDTH - LABEL_WIDTH - 110;
            for (Bar bar : panel.bars()) {
                double value = Double.isFinite(bar.value()) ? bar.value() : 0;
                int length = (int) Math.round(room * value / (max <= 0 ? 1 : max));
                body.append(text(10, y + BAR_HEIGHT - 5, bar.label(), ""));
                body.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#4a78b5\"/>%n",
                        LABEL_WIDTH,
                        y,
                        Math.max(length, 1),
                        BAR_HEIGHT));
                body.append(text(
                        LABEL_WIDTH + length + 6,
                        y + BAR_HEIGHT - 5,
                        (Double.isFinite(bar.value()) ? String.format(Locale.ROOT, "%,.0f", bar.value()) : "n/a") + " "
                                + panel.unit(),
                        ""));
                y += BAR_HEIGHT + GAP;
            }
        }
        return String.format(Locale.ROOT, """
                <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">
                <rect width="100%%" height="100%%" fill="white"/>
                %s</svg>
                """, WIDTH, y + 10, body);
    }

    private static String text(int x, int y, String content, String style) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\"%s>%s</text>%n",
                x,
                y,
                style.isEmpty() ? "" : " style=\"" + style + "\"",
                content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
    }
}
