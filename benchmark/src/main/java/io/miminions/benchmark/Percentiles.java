package io.miminions.benchmark;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Nearest-rank percentiles of a set of durations in milliseconds. */
record Percentiles(int count, double p50, double p99, double max) {

    static Percentiles of(Collection<Double> millis) {
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", count);
        map.put("p50_ms", round(p50));
        map.put("p99_ms", round(p99));
        map.put("max_ms", round(max));
        return map;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    @Override
    public String toString() {
        return String.format("p50 %.2f ms, p99 %.2f ms (n=%d)", p50, p99, count);
    }

}
