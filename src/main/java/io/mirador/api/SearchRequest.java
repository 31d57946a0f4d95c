package io.mirador.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/metrics/search}: MIRADOR-CORE's fields (query, tenant_id, limit, offset) plus
 * filters, order, facets and highlights.
 *
 * @param query     what the user typed; may hold filters ({@code type:counter job=node}); empty lists
 * @param tenantId  the tenant to search; the configured default tenant when absent
 * @param limit     1..1000, 50 when absent
 * @param offset    0 or more
 * @param types     any of these types
 * @param units     any of these units
 * @param labels    label key to value ({@code "*"}: has the key; {@code *} and {@code ?} wildcards)
 * @param sort      relevance (default), name, series_count or last_seen
 * @param order     asc or desc; name sorts ascending by default, series_count and last_seen descending
 * @param facets    count the matches by type, unit and label key
 * @param highlight mark what matched in name and help (default true)
 * @param semantic  also search by meaning (default true, when semantic search is on); false: by words only
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SearchRequest(String query, String tenantId, Integer limit, Integer offset, List<String> types,
                            List<String> units, Map<String, String> labels, String sort, String order,
                            Boolean facets, Boolean highlight, Boolean semantic) {

    static final SearchRequest EMPTY = new SearchRequest(null, null, null, null, null, null, null, null, null, null, null, null);
}
