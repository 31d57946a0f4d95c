package io.mirador.app;

import java.time.Duration;

/**
 * How the catalog reads its sources ({@code mirador.source.*}), read once at start.
 *
 * @param connectTimeout  to open a connection to a source
 * @param responseTimeout to an answer's first byte, and between two reads of it
 * @param connections     pooled connections to the sources, in all
 * @param maxSeries       the source's {@code -search.maxSeries}: series calls aim at half of it
 * @param maxNames        the most names the source lists in one answer ({@code -search.maxTagValues})
 * @param maxLabelValues  the most values asked per label key of a metric too big for one series call
 * @param labelValuesCap  distinct values kept per label key in a document ({@code mirador.catalog.label-values-cap})
 */
record SourceSettings(Duration connectTimeout, Duration responseTimeout, int connections, int maxSeries, int maxNames,
                      int maxLabelValues, int labelValuesCap) {

    static SourceSettings from(Settings s) {
        return new SourceSettings(
                s.duration("mirador.source.connect-timeout", Duration.ofMillis(100), Duration.ofMinutes(5)),
                s.duration("mirador.source.response-timeout", Duration.ofMillis(100), Duration.ofHours(1)),
                s.integer("mirador.source.connections", 1, 1024),
                s.integer("mirador.source.max-series", 2, 100_000_000),
                s.integer("mirador.source.max-names", 2, 100_000_000),
                s.integer("mirador.source.max-label-values", 1, 100_000_000),
                s.integer("mirador.catalog.label-values-cap", 1, 100_000));
    }
}
