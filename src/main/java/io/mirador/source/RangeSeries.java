package io.mirador.source;

import java.util.List;
import java.util.Map;

/**
 * What a range query answered, cut to its first series: each series' labels and its points.
 *
 * @param series the first {@code max} series the source answered
 * @param total  how many series the source answered in all
 */
public record RangeSeries(List<Series> series, int total) {

    /** One series of a range query: its labels and its points, as (seconds, value) pairs. */
    public record Series(Map<String, String> labels, double[] times, double[] values) {
    }

    public boolean truncated() {
        return total > series.size();
    }
}
