package io.mirador.catalog;


import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the catalog knows about one metric name of one tenant: the MIRADOR-CORE v7 document (id, name, type,
 * help, unit, labels, label_keys, tenant_id, last_seen, created_at, updated_at) plus the extensions
 * of docs/architecture.md. Immutable; {@link MetricMerger} makes the next version.
 *
 * @param labels           one example series' label set, without {@code __name__}
 * @param labelValues      label key to its distinct values, sorted and capped per key
 * @param labelCardinality label key to its exact number of distinct values
 * @param typeSource       {@code metadata} when type/help/unit came from the source, else {@code inferred}
 * @param family           the histogram or summary family this series name belongs to ({@code x} for
 *                         {@code x_bucket}, {@code x_sum}, {@code x_count}), or null
 * @param parts            for the document of a family itself: the series names it is made of, else null
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
        String typeSource,
        String family,
        List<String> parts) {

    public static final String TYPE_SOURCE_METADATA = "metadata";
    public static final String TYPE_SOURCE_INFERRED = "inferred";

    /** Whether this is a part of a family (folded into the family's document in search results). */
    @JsonIgnore
    public boolean isFamilyPart() {
        return family != null && !family.equals(name);
    }

    /** This document as a member of {@code family}; {@code parts} set when it is the family's own document. */
    public MetricDocument inFamily(String family, List<String> parts) {
        return new MetricDocument(id, name, type, help, unit, labels, labelKeys, tenantId, lastSeen, createdAt,
                updatedAt, firstSeen, seriesCount, labelValues, labelCardinality, typeSource, family, parts);
    }

    /** This document seen again at {@code at}, unchanged otherwise. */
    public MetricDocument seenAt(Instant at) {
        return new MetricDocument(id, name, type, help, unit, labels, labelKeys, tenantId, at, createdAt,
                updatedAt, firstSeen, seriesCount, labelValues, labelCardinality, typeSource, family, parts);
    }

    /** This document with another type, as inferred from its family. */
    public MetricDocument withType(String newType) {
        return new MetricDocument(id, name, newType, help, unit, labels, labelKeys, tenantId, lastSeen, createdAt,
                updatedAt, firstSeen, seriesCount, labelValues, labelCardinality, typeSource, family, parts);
    }

    /** True when a user would read no difference between the two; timestamps alone do not count. */
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
                && Objects.equals(typeSource, other.typeSource)
                && Objects.equals(family, other.family)
                && Objects.equals(parts, other.parts);
    }
}
