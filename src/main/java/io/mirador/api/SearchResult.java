package io.mirador.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.mirador.catalog.MetricDocument;

import java.util.Map;

/** One search result: the metric document's fields, its score, and what matched. */
public record SearchResult(@JsonUnwrapped MetricDocument metric, float score, Map<String, String> highlights) {
}
