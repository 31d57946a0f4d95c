package io.mirador.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Folds the series of one metric name into a {@link MetricObservation}. Distinct values are kept in
 * full while the metric is read (the source answers at most {@code -search.maxSeries} series per call,
 * so one call bounds them); only the observation is capped. Not thread-safe: one reader fills it.
 */
public final class SeriesAccumulator {

    private final String name;
    private final int valuesCap;
    private long seriesCount;
    private Map<String, String> example;
    private final Map<String, Set<String>> values = new HashMap<>();
    private final Map<String, Long> exactCardinality = new HashMap<>();

    public SeriesAccumulator(String name, int valuesCap) {
        this.name = name;
        this.valuesCap = valuesCap;
    }

    public String name() {
        return name;
    }

    public long seriesCount() {
        return seriesCount;
    }

    /** Adds one series; {@code labels} excludes {@code __name__} and may be reused by the caller afterwards. */
    public void addSeries(Map<String, String> labels) {
        seriesCount++;
        if (example == null) {
            example = new TreeMap<>(labels);
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            values.computeIfAbsent(label.getKey(), k -> new HashSet<>()).add(label.getValue());
        }
    }

    /** Adds series counted elsewhere (a big metric read in parts) without their label values. */
    public void addSeriesCount(long count, Map<String, String> exampleLabels) {
        seriesCount += count;
        if (example == null && exampleLabels != null) {
            example = new TreeMap<>(exampleLabels);
        }
    }

    /** Sets a key's values as read from the label values API: {@code values} are all distinct values found. */
    public void setLabelValues(String key, List<String> distinct) {
        values.put(key, new HashSet<>(distinct));
        exactCardinality.put(key, (long) distinct.size());
    }

    public boolean isEmpty() {
        return seriesCount == 0;
    }

    public MetricObservation toObservation() {
        Map<String, List<String>> capped = new TreeMap<>();
        Map<String, Long> cardinality = new TreeMap<>();
        for (Map.Entry<String, Set<String>> e : values.entrySet()) {
            List<String> sorted = new ArrayList<>(e.getValue());
            Collections.sort(sorted);
            capped.put(e.getKey(), List.copyOf(sorted.subList(0, Math.min(valuesCap, sorted.size()))));
            cardinality.put(e.getKey(), exactCardinality.getOrDefault(e.getKey(), (long) sorted.size()));
        }
        Map<String, String> labels = example == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(example));
        return new MetricObservation(name, seriesCount, labels, capped, cardinality);
    }
}
