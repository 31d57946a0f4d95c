package io.mirador.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.mirador.catalog.MetricDocument;

/** One search result: the metric document's fields, plus its score. */
public record SearchResult(@JsonUnwrapped MetricDocument metric, float score) {
}
