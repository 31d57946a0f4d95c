package io.mirador.api;


import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The search response (results, total, took), with facet counts when asked, and the search's mode: {@code lexical}
 * (words only) or {@code hybrid} (words and meaning).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SearchResponse(List<SearchResult> results, long total, Duration took, Map<String, Map<String, Long>> facets,
                             String mode) {
}
