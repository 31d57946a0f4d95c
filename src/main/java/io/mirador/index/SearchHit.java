package io.mirador.index;

import io.mirador.catalog.MetricDocument;

import java.util.Map;

/**
 * One matching metric with its relevance score.
 *
 * @param highlights field ("name", "help") to its text with the matching words marked {@code <em>...</em>}
 */
public record SearchHit(MetricDocument document, float score, Map<String, String> highlights) {
}
