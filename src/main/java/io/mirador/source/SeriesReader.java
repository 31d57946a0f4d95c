package io.mirador.source;

import io.mirador.catalog.MetricObservation;
import io.mirador.catalog.SeriesAccumulator;
import io.mirador.tenant.Tenant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the series of a batch of metric names and folds them into one observation per name.
 *
 * <p>VictoriaMetrics refuses a series call matching more than {@code -search.maxSeries} series (422)
 * instead of cutting it. Names are asked for in groups sized from the series per name seen so far;
 * a refused group is halved; a single name that is still refused is read in parts: its label values
 * come from the label values API, and its series are counted per value of its labels, halving the
 * value sets until every part fits. No 422 reaches the sync unless a part cannot be split further.
 */
public final class SeriesReader {

    private final PrometheusApi api;
    private final int maxSeriesPerCall;
    private final int valuesCap;
    private final int labelValuesLimit;

    /**
     * @param maxSeriesPerCall the source's series limit; groups aim at half of it
     * @param labelValuesLimit the most values asked of the label values API for one key of a big metric
     */
    public SeriesReader(PrometheusApi api, int maxSeriesPerCall, int valuesCap, int labelValuesLimit) {
        this.api = api;
        this.maxSeriesPerCall = maxSeriesPerCall;
        this.valuesCap = valuesCap;
        this.labelValuesLimit = labelValuesLimit;
    }

    /** Series per name seen so far, per tenant, to size the next groups. */
    private final Map<String, SeriesEstimate> estimates = new ConcurrentHashMap<>();

    /** Running average of series per name of one tenant. */
    static final class SeriesEstimate {
        private long names;
        private long series;

        synchronized void record(int nameCount, long seriesCount) {
            names += nameCount;
            series += seriesCount;
        }

        synchronized double seriesPerName() {
            return names == 0 ? 0 : (double) series / names;
        }
    }

    /** One observation per name that has series in the window, in the order of {@code names}. */
    public List<MetricObservation> read(Tenant tenant, List<String> names, TimeWindow window) {
        SeriesEstimate estimate = estimates.computeIfAbsent(tenant.id(), id -> new SeriesEstimate());
        List<MetricObservation> out = new ArrayList<>(names.size());
        int at = 0;
        while (at < names.size()) {
            int size = groupSize(estimate, names.size() - at);
            readGroup(tenant, names.subList(at, at + size), window, estimate, out);
            at += size;
        }
        return out;
    }

    private int groupSize(SeriesEstimate estimate, int remaining) {
        double perName = estimate.seriesPerName();
        if (perName <= 0) {
            return remaining;
        }
        long fits = (long) Math.floor(maxSeriesPerCall / 2.0 / perName);
        return (int) Math.max(1, Math.min(remaining, fits));
    }

    private void readGroup(Tenant tenant, List<String> names, TimeWindow window, SeriesEstimate estimate,
                           List<MetricObservation> out) {
        Map<String, SeriesAccumulator> page;
        try {
            page = api.seriesOfListedNames(tenant, List.of(Selectors.names(names)), window, names.size());
        } catch (SourceException e) {
            if (!e.isTooManySeries()) {
                throw e;
            }
            if (names.size() == 1) {
                MetricObservation big = readLargeMetric(tenant, names.get(0), window);
                estimate.record(1, big.seriesCount());
                out.add(big);
                return;
            }
            int half = names.size() / 2;
            readGroup(tenant, names.subList(0, half), window, estimate, out);
            readGroup(tenant, names.subList(half, names.size()), window, estimate, out);
            return;
        }
        long series = 0;
        for (String name : names) {
            SeriesAccumulator acc = page.get(name);
            if (acc != null) {
                series += acc.seriesCount();
                out.add(acc.toObservation());
            }
        }
        estimate.record(names.size(), series);
    }

    /** Reads a metric whose series do not fit one call: values from the label values API, series counted in parts. */
    MetricObservation readLargeMetric(Tenant tenant, String name, TimeWindow window) {
        String selector = Selectors.names(List.of(name));
        SeriesAccumulator acc = new SeriesAccumulator(name, valuesCap);
        Map<String, List<String>> values = new HashMap<>();
        for (String key : api.labelNames(tenant, List.of(selector), window)) {
            if (!key.equals("__name__")) {
                List<String> v = api.labelValues(tenant, key, List.of(selector), window, labelValuesLimit);
                values.put(key, v);
                acc.setLabelValues(key, v);
            }
        }
        splitAndCount(tenant, name, selector, window, new ArrayList<>(values.keySet()), values, acc);
        return acc.toObservation();
    }

    private void count(Tenant tenant, String name, String selector, TimeWindow window, List<String> keys,
                       SeriesAccumulator acc) {
        try {
            PrometheusApi.SeriesCount c = api.countSeries(tenant, List.of(selector), window);
            acc.addSeriesCount(c.count(), c.first());
        } catch (SourceException e) {
            if (!e.isTooManySeries()) {
                throw e;
            }
            splitAndCount(tenant, name, selector, window, keys, null, acc);
        }
    }

    /** Counts the series of {@code selector} per value of the unused label key with the most values. */
    private void splitAndCount(Tenant tenant, String name, String selector, TimeWindow window, List<String> keys,
                               Map<String, List<String>> knownValues, SeriesAccumulator acc) {
        Map<String, List<String>> candidates = new HashMap<>();
        for (String key : keys) {
            candidates.put(key, knownValues != null ? knownValues.get(key)
                    : api.labelValues(tenant, key, List.of(selector), window, labelValuesLimit));
        }
        String key = keys.stream()
                .filter(k -> candidates.get(k).size() < labelValuesLimit)
                .max(Comparator.comparingInt(k -> candidates.get(k).size()))
                .orElseThrow(() -> new SourceException(422, "metric " + name + " has more series under " + selector
                        + " than one call may return, and no label left to split them by; raise -search.maxSeries"
                        + " on the source or mirador.source.max-series", null));
        List<String> rest = new ArrayList<>(keys);
        rest.remove(key);
        count(tenant, name, Selectors.withLabelIn(selector, key, List.of("")), window, rest, acc);
        countValues(tenant, name, selector, key, candidates.get(key), window, rest, acc);
    }

    private void countValues(Tenant tenant, String name, String selector, String key, List<String> values,
                             TimeWindow window, List<String> rest, SeriesAccumulator acc) {
        if (values.isEmpty()) {
            return;
        }
        String part = Selectors.withLabelIn(selector, key, values);
        if (values.size() == 1) {
            count(tenant, name, part, window, rest, acc);
            return;
        }
        try {
            PrometheusApi.SeriesCount c = api.countSeries(tenant, List.of(part), window);
            acc.addSeriesCount(c.count(), c.first());
        } catch (SourceException e) {
            if (!e.isTooManySeries()) {
                throw e;
            }
            int half = values.size() / 2;
            countValues(tenant, name, selector, key, values.subList(0, half), window, rest, acc);
            countValues(tenant, name, selector, key, values.subList(half, values.size()), window, rest, acc);
        }
    }
}
