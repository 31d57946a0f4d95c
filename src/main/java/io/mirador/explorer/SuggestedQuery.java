package io.mirador.explorer;

import io.mirador.catalog.MetricDocument;
import io.mirador.source.Selectors;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The PromQL a metric is usually read with, by its type: a counter's per-second rate summed by its most telling
 * label, a histogram's 95th percentile, a summary's quantiles, a gauge as it is.
 */
public final class SuggestedQuery {

    /** Labels every series of a target has, or that belong to the type's own query: no breakdown anyone wants. */
    private static final Set<String> NOT_A_BREAKDOWN = Set.of("instance", "le", "quantile", "__name__");

    private SuggestedQuery() {
    }

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public static String of(MetricDocument doc) {
        String name = doc.name();
        String type = doc.type().toLowerCase(Locale.ROOT);
        // a part of a family (x_count, x_sum, x_bucket) is read as its family is
        String family = doc.family() != null ? doc.family()
                : name.endsWith("_bucket") ? name.substring(0, name.length() - "_bucket".length()) : name;
        if (type.equals("histogram") || name.endsWith("_bucket")) {
            return "histogram_quantile(0.95, sum by (le) (rate(" + selector(family + "_bucket") + "[5m])))";
        }
        if (type.equals("summary")) {
            return "max by (quantile) (" + selector(family) + ")";
        }
        if (type.equals("counter") || name.endsWith("_total")) {
            String by = breakdown(doc.labelCardinality());
            return "sum" + (by == null ? "" : " by (" + by + ")") + " (rate(" + selector(name) + "[5m]))";
        }
        return selector(name);
    }

    /**
     * The series of one name: the name itself, or {@code {__name__="..."}} for a name PromQL cannot write bare (some
     * sources take any name), quoted so that no name can add to the query.
     */
    static String selector(String name) {
        return METRIC_NAME.matcher(name).matches() ? name : Selectors.names(List.of(name));
    }

    /**
     * The label that splits a metric into the most series the preview can show: 2 to 10 values, the most of them
     * (node_cpu_seconds_total: {@code mode}, not {@code cpu} on a two-core machine); {@code job} when it has several.
     */
    static String breakdown(Map<String, Long> cardinality) {
        String best = null;
        long bestValues = 1;
        for (Map.Entry<String, Long> label : cardinality.entrySet()) {
            long values = label.getValue();
            boolean better = values > bestValues || (values == bestValues && best != null && label.getKey().compareTo(best) < 0);
            if (!NOT_A_BREAKDOWN.contains(label.getKey()) && !label.getKey().equals("job") && values <= MetricPreview.MAX_SERIES && better
                    && LABEL_NAME.matcher(label.getKey()).matches()) {
                best = label.getKey();
                bestValues = values;
            }
        }
        if (best == null && cardinality.getOrDefault("job", 0L) > 1) {
            return "job";
        }
        return best;
    }
}
