package io.mirador.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the catalog knows about one metric name of one tenant: the seed's document (id, name, type,
 * help, unit, labels, label_keys, tenant_id, last_seen, created_at, updated_at) plus the extensions
 * of DESIGN.md section 4. Immutable; {@link MetricMerger} makes the next version.
 *
 * @param labels           one example series' label set, without {@code __name__}
 * @param labelValues      label key to its distinct values, sorted and capped per key
 * @param labelCardinality label key to its exact number of distinct values
 * @param typeSource       {@code metadata} when type/help/unit came from the source, else {@code inferred}
 */
public record MetricDocument(
        String id,
        String name,
        String type,
        String help,
        String unit,
        Map<String, String> labels,
        List<String> labelKeys,
        String tenantId,
        Instant lastSeen,
        Instant createdAt,
        Instant updatedAt,
        Instant firstSeen,
        long seriesCount,
        Map<String, List<String>> labelValues,
        Map<String, Long> labelCardinality,
        String typeSource) {

    public static final String TYPE_SOURCE_METADATA = "metadata";
    public static final String TYPE_SOURCE_INFERRED = "inferred";

    /** True when what a user reads of the metric differs; timestamps alone do not count. */
    public boolean sameContentAs(MetricDocument other) {
        return other != null
                && Objects.equals(type, other.type)
                && Objects.equals(help, other.help)
                && Objects.equals(unit, other.unit)
                && Objects.equals(labels, other.labels)
                && Objects.equals(labelKeys, other.labelKeys)
                && seriesCount == other.seriesCount
                && Objects.equals(labelValues, other.labelValues)
                && Objects.equals(labelCardinality, other.labelCardinality)
                && Objects.equals(typeSource, other.typeSource);
    }
}
