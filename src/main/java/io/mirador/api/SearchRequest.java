package io.mirador.api;

/**
 * Body of {@code POST /api/v1/metrics/search} (the seed's fields).
 *
 * @param query    what the user typed; empty lists everything
 * @param tenantId the tenant to search; the configured default tenant when absent
 * @param limit    1..1000, 50 when absent
 * @param offset   0 or more
 */
public record SearchRequest(String query, String tenantId, Integer limit, Integer offset) {

    static final SearchRequest EMPTY = new SearchRequest(null, null, null, null);
}
