package io.mirador.index;

import io.mirador.catalog.MetricDocument;

/** One matching metric with its relevance score. */
public record SearchHit(MetricDocument document, float score) {
}
