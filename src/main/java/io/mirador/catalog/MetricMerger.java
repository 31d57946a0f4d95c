package io.mirador.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Makes the next version of a metric document from what a sync observed, following the sync rules of
 * A full sync replaces what it read; an incremental sync reads a short window and
 * so only widens what is known (union of label values, larger counts). Metadata from the source wins;
 * when the source stops returning it, the last known metadata stays.
 */
public final class MetricMerger {

    private final int valuesCap;

    public MetricMerger(int valuesCap) {
        this.valuesCap = valuesCap;
    }

    /**
     * @param existing    the indexed document, or null for a new metric
     * @param metadata    the source's metadata for the name, or {@link MetricMetadata#NONE}
     * @param incremental whether the observation covers only a short window
     * @param seenAt      the end of the window the observation covers
     */
    public MetricDocument merge(MetricDocument existing, MetricObservation observed, MetricMetadata metadata,
                                String tenantId, boolean incremental, Instant seenAt) {
        Map<String, String> labels = observed.exampleLabels();
        Map<String, List<String>> values = observed.labelValues();
        Map<String, Long> cardinality = observed.labelCardinality();
        long seriesCount = observed.seriesCount();
        if (incremental && existing != null) {
            labels = existing.labels().isEmpty() ? labels : existing.labels();
            values = unionValues(existing.labelValues(), values);
            cardinality = maxCardinality(existing.labelCardinality(), cardinality, values);
            seriesCount = Math.max(existing.seriesCount(), seriesCount);
        }
        List<String> labelKeys = List.copyOf(new TreeSet<>(values.keySet()));

        String type;
        String help;
        String unit;
        String typeSource;
        if (!metadata.isEmpty()) {
            type = metadata.type().isEmpty() ? TypeInference.inferType(observed.name(), labelKeys) : metadata.type();
            help = metadata.help();
            unit = metadata.unit().isEmpty() ? TypeInference.inferUnit(observed.name()) : metadata.unit();
            typeSource = MetricDocument.TYPE_SOURCE_METADATA;
        } else if (existing != null && MetricDocument.TYPE_SOURCE_METADATA.equals(existing.typeSource())) {
            type = existing.type();
            help = existing.help();
            unit = existing.unit();
            typeSource = existing.typeSource();
        } else {
            type = TypeInference.inferType(observed.name(), labelKeys);
            help = "";
            unit = TypeInference.inferUnit(observed.name());
            typeSource = MetricDocument.TYPE_SOURCE_INFERRED;
        }

        Instant created = existing == null ? seenAt : existing.createdAt();
        Instant firstSeen = existing == null ? seenAt : existing.firstSeen();
        MetricDocument next = new MetricDocument(observed.name(), observed.name(), type, help, unit, labels, labelKeys,
                tenantId, seenAt, created, seenAt, firstSeen, seriesCount, values, cardinality, typeSource, null, null);
        return settle(existing, next);
    }

    /** {@code next} keeps the existing document's {@code updated_at} when a user would read no difference. */
    public static MetricDocument settle(MetricDocument existing, MetricDocument next) {
        if (existing != null && next.sameContentAs(existing)) {
            return withUpdatedAt(next, existing.updatedAt());
        }
        return next;
    }

    private static MetricDocument withUpdatedAt(MetricDocument d, Instant updatedAt) {
        return new MetricDocument(d.id(), d.name(), d.type(), d.help(), d.unit(), d.labels(), d.labelKeys(), d.tenantId(),
                d.lastSeen(), d.createdAt(), updatedAt, d.firstSeen(), d.seriesCount(), d.labelValues(),
                d.labelCardinality(), d.typeSource(), d.family(), d.parts());
    }

    private Map<String, List<String>> unionValues(Map<String, List<String>> a, Map<String, List<String>> b) {
        Map<String, List<String>> out = new TreeMap<>();
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String key : keys) {
            TreeSet<String> merged = new TreeSet<>(a.getOrDefault(key, List.of()));
            merged.addAll(b.getOrDefault(key, List.of()));
            List<String> sorted = new ArrayList<>(merged);
            out.put(key, List.copyOf(sorted.subList(0, Math.min(valuesCap, sorted.size()))));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Exact counts cannot be unioned from capped lists; the larger count is the better lower bound. */
    private static Map<String, Long> maxCardinality(Map<String, Long> a, Map<String, Long> b,
                                                    Map<String, List<String>> values) {
        Map<String, Long> out = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            long known = Math.max(a.getOrDefault(e.getKey(), 0L), b.getOrDefault(e.getKey(), 0L));
            out.put(e.getKey(), Math.max(known, e.getValue().size()));
        }
        return Collections.unmodifiableMap(out);
    }
}
