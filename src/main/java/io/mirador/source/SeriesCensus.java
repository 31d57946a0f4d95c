package io.mirador.source;

import java.time.LocalDate;
import java.util.Map;

/**
 * What a source's TSDB status ({@code /api/v1/status/tsdb?date=}) says about one UTC day: how many series and metric
 * names have samples that day, and the series count of the names it lists (the largest, at most its {@code topN}).
 * VictoriaMetrics counts a day's series in its per-day index, which only grows during the day: an equal count later
 * the same day means no series was added.
 *
 * @param totalSeries  the day's series, or -1 when the source does not say (Prometheus counts its head block instead)
 * @param names        the day's metric names, or -1 when the source does not say
 * @param seriesByName series per metric name, for the names the status lists
 */
public record SeriesCensus(LocalDate day, long totalSeries, long names, Map<String, Long> seriesByName) {

    public SeriesCensus {
        seriesByName = Map.copyOf(seriesByName);
    }

    /** Whether the source counts the day's series: only then can two censuses of a day tell that nothing was added. */
    public boolean countsSeries() {
        return totalSeries >= 0;
    }

    /** Whether {@link #seriesByName} has every name of the day, so that two censuses tell which names moved. */
    public boolean hasEveryName() {
        return names >= 0 && seriesByName.size() == names;
    }
}
