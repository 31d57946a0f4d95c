package io.mirador.index;

import java.util.List;
import java.util.Map;

/**
 * One page of hits, the exact number of matches, and (when asked) the counts of all matches by facet.
 *
 * @param facets facet ("types", "units", "label_keys") to value to number of matching metrics, largest first
 * @param mode   {@code lexical} (words only) or {@code hybrid} (words and meaning)
 */
public record SearchPage(List<SearchHit> hits, long total, Map<String, Map<String, Long>> facets, String mode) {
}
