package io.mirador.index;

import java.util.List;
import java.util.Map;

/** Metrics near a query in meaning (semantic search): metric id to similarity in 0..1; empty when there are none. */
@FunctionalInterface
public interface NearMetrics {

    NearMetrics NONE = (tenantId, text) -> Map.of();

    Map<String, Float> near(String tenantId, String text);

    /** Other words for one word, from the observability vocabulary ("ram": memory), searched as its readings too. */
    default List<String> alternatives(String word) {
        return List.of();
    }
}
