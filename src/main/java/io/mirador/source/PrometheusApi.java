package io.mirador.source;

import io.mirador.catalog.MetricMetadata;
import io.mirador.catalog.SeriesAccumulator;
import io.mirador.support.DutyCycle;
import io.mirador.tenant.Tenant;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Prometheus querying API calls the catalog makes, each one a {@link SourceRequest} sent through
 * {@link SourceCalls} once; the source routes ({@code routes/source.camel.yaml}) retry the step that made it.
 */
public final class PrometheusApi {

    /** The most names VictoriaMetrics' TSDB status lists with their series counts ({@code topN}). */
    public static final int CENSUS_NAMES = 1000;

    private final SourceCalls calls;
    private final int valuesCap;
    private final DutyCycle pace;

    /** @param pace gives way to searches while series answers are read */
    public PrometheusApi(SourceCalls calls, int valuesCap, DutyCycle pace) {
        this.calls = calls;
        this.valuesCap = valuesCap;
        this.pace = pace;
    }

    /** {@code /api/v1/label/<label>/values}: distinct values of a label among the series matching the selectors. */
    public List<String> labelValues(Tenant tenant, String label, List<String> selectors, TimeWindow window, int limit) {
        List<Map.Entry<String, String>> params = windowParams(window, selectors);
        if (limit > 0) {
            params.add(Map.entry("limit", Integer.toString(limit)));
        }
        String path = "/api/v1/label/" + URLEncoder.encode(label, StandardCharsets.UTF_8) + "/values";
        return calls.call(request(tenant, path, params, false, PrometheusResponses::strings));
    }

    /**
     * How many metric names have samples on {@code day} (UTC), as the source's TSDB status counts them
     * ({@code /api/v1/status/tsdb}, VictoriaMetrics and Prometheus); -1 when the source does not say.
     */
    public long nameCountOn(Tenant tenant, LocalDate day) {
        // __name__ is listed only among the labels with the most values: ask for enough of them
        return census(tenant, day, 100).map(SeriesCensus::names).orElse(-1L);
    }

    /**
     * The source's TSDB status of {@code day} (UTC), with the series counts of up to {@link #CENSUS_NAMES} names;
     * empty when the source does not answer it (no such endpoint, or it fails: not knowing is not a failure).
     */
    public Optional<SeriesCensus> census(Tenant tenant, LocalDate day) {
        return census(tenant, day, CENSUS_NAMES);
    }

    private Optional<SeriesCensus> census(Tenant tenant, LocalDate day, int topN) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("topN", Integer.toString(topN)));
        params.add(Map.entry("date", day.toString()));
        try {
            return Optional.of(calls.call(request(tenant, "/api/v1/status/tsdb", params, false,
                    body -> PrometheusResponses.census(body, day))));
        } catch (SourceException | UncheckedIOException e) {
            // not a question every Prometheus-compatible source answers
            return Optional.empty();
        }
    }

    /** {@code /api/v1/labels}: label names of the series matching the selectors. */
    public List<String> labelNames(Tenant tenant, List<String> selectors, TimeWindow window) {
        return calls.call(request(tenant, "/api/v1/labels", windowParams(window, selectors), false,
                PrometheusResponses::strings));
    }

    /**
     * {@code /api/v1/series} for metric names the source listed: their series, folded per metric name. The
     * whole answer is one page; VictoriaMetrics refuses it with 422 rather than cut it. An answer without a
     * single series of several names the source has just listed is not believed: it is a failed read, retried.
     *
     * @param selectorNames how many names the selectors ask for
     */
    public Map<String, SeriesAccumulator> seriesOfListedNames(Tenant tenant, List<String> selectors, TimeWindow window,
                                                              int selectorNames) {
        return calls.call(request(tenant, "/api/v1/series", windowParams(window, selectors), true, body -> {
            Map<String, SeriesAccumulator> page = new LinkedHashMap<>();
            PrometheusResponses.series(body, (name, labels) -> {
                page.computeIfAbsent(name, n -> new SeriesAccumulator(n, valuesCap)).addSeries(labels);
                pace.pace();
            });
            // one name may have lost its series since the list was read; several names at once, all of them, not
            if (page.isEmpty() && selectorNames > 1) {
                throw new SourceAnswerException("the source answered no series for " + selectorNames
                        + " metric names it listed");
            }
            return page;
        }));
    }

    /** {@code /api/v1/series}, counting only: the number of series and the first one's labels. */
    public SeriesCount countSeries(Tenant tenant, List<String> selectors, TimeWindow window) {
        return calls.call(request(tenant, "/api/v1/series", windowParams(window, selectors), true, body -> {
            SeriesCount count = new SeriesCount();
            PrometheusResponses.series(body, count::add);
            return count;
        }));
    }

    /**
     * {@code /api/v1/metadata}: type, help and unit by metric name; empty where the source keeps none.
     * Asked of the tenant's metadata URL when it has one (a Prometheus scraping the same targets), without
     * the tenant's credentials, which belong to its source.
     */
    public Map<String, MetricMetadata> metadata(Tenant tenant) {
        if (tenant.metadataUrl().isEmpty()) {
            return calls.call(request(tenant, "/api/v1/metadata", new ArrayList<>(), false, PrometheusResponses::metadata));
        }
        return calls.call(new SourceRequest<>(tenant.id(), Tenant.trimSlash(tenant.metadataUrl()) + "/api/v1/metadata",
                Map.of(), new ArrayList<>(), false, PrometheusResponses::metadata));
    }

    private static <T> SourceRequest<T> request(Tenant tenant, String path, List<Map.Entry<String, String>> params,
                                                boolean post, ResponseReader<T> reader) {
        return new SourceRequest<>(tenant.id(), tenant.apiBase() + path, tenant.headers(), params, post, reader);
    }

    private static List<Map.Entry<String, String>> windowParams(TimeWindow window, List<String> selectors) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("start", window.startParam()));
        params.add(Map.entry("end", window.endParam()));
        for (String s : selectors) {
            params.add(Map.entry("match[]", s));
        }
        return params;
    }

    /** A count of series with the first one's labels. */
    public static final class SeriesCount {
        private long count;
        private Map<String, String> first;

        void add(String name, Map<String, String> labels) {
            if (count++ == 0) {
                first = Map.copyOf(labels);
            }
        }

        public long count() {
            return count;
        }

        public Map<String, String> first() {
            return first;
        }
    }
}
