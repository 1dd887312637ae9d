package dev.dualwrite.console.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One scrape of an application's {@code /actuator/prometheus}: what Prometheus would store, so that the console shows
 * the same numbers a Grafana panel of the same metric does.
 */
record Scrape(List<Sample> samples) {

    record Sample(String name, Map<String, String> labels, double value) {

        boolean matches(String name, Map<String, String> where) {
            return this.name.equals(name)
                    && where.entrySet().stream()
                            .allMatch(label -> label.getValue().equals(labels.get(label.getKey())));
        }
    }

    /** Parses the text exposition format (version 0.0.4): {@code name{label="value",...} value [timestamp]}. */
    static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Sample sample = sample(line.strip());
            if (sample != null) {
                samples.add(sample);
            }
        }
        return new Scrape(List.copyOf(samples));
    }

    /** The sum over every sample of that name whose labels include {@code where}; empty when there is none. */
    OptionalDouble sum(String name, Map<String, String> where) {
        double sum = 0;
        boolean found = false;
        for (Sample sample : samples) {
            if (sample.matches(name, where)) {
                sum += sample.value();
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /** A histogram's cumulative buckets (upper bound {@code le}, +Inf included → count) among the matching samples. */
    Map<Double, Double> buckets(String histogram, Map<String, String> where) {
        Map<Double, Double> buckets = new TreeMap<>();
        for (Sample sample : samples) {
            String le = sample.labels().get("le");
            if (le != null && sample.matches(histogram + "_bucket", where)) {
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.merge(bound, sample.value(), Double::sum);
            }
        }
        return buckets;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (space < 0) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            rest = labels(line, brace + 1, labels);
            if (rest < 0) {
                return null;
            }
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        String[] values = line.substring(rest).strip().split(" ");
        try {
            return new Sample(name, Map.copyOf(labels), Double.parseDouble(values[0]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reads {@code a="x",b="y"}} from {@code start}; returns the index after the closing brace, -1 if malformed. */
    private static int labels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i + 1;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int equals = line.indexOf('=', i);
            if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
                return -1;
            }
            String key = line.substring(i, equals);
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            for (; j < line.length() && line.charAt(j) != '"'; j++) {
                char v = line.charAt(j);
                if (v == '\\' && j + 1 < line.length()) {
                    char escaped = line.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(v);
                }
            }
            if (j >= line.length()) {
                return -1;
            }
            labels.put(key, value.toString());
            i = j + 1;
        }
        return -1;
    }
}
