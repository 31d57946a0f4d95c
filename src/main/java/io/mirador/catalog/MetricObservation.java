package io.mirador.catalog;

import java.util.List;
import java.util.Map;

/**
 * What one sync read of one metric name from the source: its series count, an example label set,
 * and the distinct values of each label key (sorted, capped) with their exact counts.
 */
public record MetricObservation(
        String name,
        long seriesCount,
        Map<String, String> exampleLabels,
        Map<String, List<String>> labelValues,
        Map<String, Long> labelCardinality) {
}
