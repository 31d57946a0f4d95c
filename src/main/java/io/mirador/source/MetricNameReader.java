package io.mirador.source;

import io.mirador.tenant.Tenant;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Lists every metric name of a tenant in a window. The source caps the list silently (VictoriaMetrics:
 * {@code -search.maxTagValues}, 100 000 by default), so a list as long as the cap is taken as cut and
 * read again split by name prefix until no part is cut.
 */
public final class MetricNameReader {

    /** The characters a Prometheus metric name is made of; names with others are read by one extra call per prefix. */
    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:";

    private final PrometheusApi api;
    private final int cap;

    /** @param cap the most names the source returns in one answer */
    public MetricNameReader(PrometheusApi api, int cap) {
        this.api = api;
        this.cap = cap;
    }

    /** All names, sorted. */
    public List<String> names(Tenant tenant, TimeWindow window) {
        List<String> all = api.labelValues(tenant, "__name__", List.of(), window, cap);
        if (all.size() < cap) {
            List<String> sorted = new ArrayList<>(all);
            sorted.sort(null);
            return sorted;
        }
        Set<String> names = new TreeSet<>();
        readPrefix(tenant, window, "", names);
        return new ArrayList<>(names);
    }

    private void readPrefix(Tenant tenant, TimeWindow window, String prefix, Set<String> into) {
        if (!prefix.isEmpty()) {
            into.addAll(api.labelValues(tenant, "__name__",
                    List.of(Selectors.names(List.of(prefix))), window, cap));
        }
        for (int i = 0; i < NAME_CHARS.length(); i++) {
            String longer = prefix + NAME_CHARS.charAt(i);
            List<String> part = api.labelValues(tenant, "__name__", List.of(Selectors.namePrefix(longer)), window, cap);
            if (part.size() < cap) {
                into.addAll(part);
            } else {
                readPrefix(tenant, window, longer, into);
            }
        }
        String escaped = Selectors.escapeRegex(prefix);
        String others = "{__name__=~" + Selectors.quote(escaped + ".+") + ",__name__!~"
                + Selectors.quote(escaped + "[a-zA-Z0-9_:].*") + "}";
        List<String> odd = api.labelValues(tenant, "__name__", List.of(others), window, cap);
        if (odd.size() >= cap) {
            throw new SourceException(0, "more than " + cap + " metric names start with '" + prefix
                    + "' followed by characters outside [a-zA-Z0-9_:]; raise mirador.source.max-names", null);
        }
        into.addAll(odd);
    }
}
