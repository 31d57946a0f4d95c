package io.mirador.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The seed's search response (results, total, took), with facet counts when asked. */
public record SearchResponse(List<SearchResult> results, long total, Duration took, Map<String, Map<String, Long>> facets) {
}
