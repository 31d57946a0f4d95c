package io.mirador.index;

import java.util.List;
import java.util.Map;

/**
 * Filters given beside the query text (the JSON fields of a search request).
 *
 * @param types  any of these types
 * @param units  any of these units
 * @param labels label key to value; {@code "*"} means "has this key"; {@code *} and {@code ?} are wildcards
 */
public record SearchFilters(List<String> types, List<String> units, Map<String, String> labels) {

    public static final SearchFilters NONE = new SearchFilters(List.of(), List.of(), Map.of());

    public boolean isEmpty() {
        return types.isEmpty() && units.isEmpty() && labels.isEmpty();
    }
}
