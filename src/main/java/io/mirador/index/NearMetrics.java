package io.mirador.index;

import java.util.Map;

/** Metrics near a query in meaning (semantic search): metric id to similarity in 0..1; empty when there are none. */
@FunctionalInterface
public interface NearMetrics {

    NearMetrics NONE = (tenantId, text) -> Map.of();

    Map<String, Float> near(String tenantId, String text);
}
