package io.mirador.api;

import java.time.Duration;
import java.util.List;

/** The seed's search response: a page of results, the exact total, and how long the search took. */
public record SearchResponse(List<SearchResult> results, long total, Duration took) {
}
