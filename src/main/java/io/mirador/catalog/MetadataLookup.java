package io.mirador.catalog;

import java.util.Map;

/**
 * Finds a series name's metadata. Sources key metadata by metric family: a histogram's {@code x_bucket},
 * {@code x_sum} and {@code x_count} series are described under {@code x}, an OpenMetrics counter
 * {@code x_total} may be under {@code x}.
 */
public final class MetadataLookup {

    private MetadataLookup() {
    }

    public static MetricMetadata find(Map<String, MetricMetadata> metadata, String name) {
        if (metadata.isEmpty()) {
            return MetricMetadata.NONE;
        }
        MetricMetadata exact = metadata.get(name);
        if (exact != null) {
            return exact;
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count", "_total", "_created"}) {
            if (name.endsWith(suffix)) {
                MetricMetadata family = metadata.get(name.substring(0, name.length() - suffix.length()));
                if (family != null) {
                    return family;
                }
            }
        }
        return MetricMetadata.NONE;
    }
}
