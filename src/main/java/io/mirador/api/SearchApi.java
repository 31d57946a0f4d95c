package io.mirador.api;

import io.mirador.index.MetricSearch;
import io.mirador.index.SearchHit;
import io.mirador.index.SearchPage;
import io.mirador.index.SearchQuery;
import io.mirador.index.TenantIndexes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code POST /api/v1/metrics/search}: validates the request, searches the tenant's index, shapes the answer. */
public final class SearchApi {

    static final int MAX_LIMIT = 1000;
    static final int MAX_OFFSET = 100_000;
    static final int MAX_QUERY_LENGTH = 1000;

    private final RequestBodies bodies;
    private final TenantIndexes indexes;
    private final MetricSearch search;
    private final String defaultTenant;

    public SearchApi(RequestBodies bodies, TenantIndexes indexes, MetricSearch search, String defaultTenant) {
        this.bodies = bodies;
        this.indexes = indexes;
        this.search = search;
        this.defaultTenant = defaultTenant;
    }

    public SearchResponse search(String body) {
        long started = System.nanoTime();
        SearchRequest request = bodies.read(body, SearchRequest.class, SearchRequest.EMPTY);
        String tenant = request.tenantId() == null || request.tenantId().isEmpty() ? defaultTenant : request.tenantId();
        int limit = request.limit() == null ? 50 : request.limit();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badData("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        int offset = request.offset() == null ? 0 : request.offset();
        if (offset < 0 || offset > MAX_OFFSET) {
            throw ApiException.badData("offset must be between 0 and " + MAX_OFFSET + ", was " + offset);
        }
        String query = request.query() == null ? "" : request.query();
        if (query.length() > MAX_QUERY_LENGTH) {
            throw ApiException.badData("query is " + query.length() + " characters long; at most "
                    + MAX_QUERY_LENGTH + " are accepted");
        }
        SearchPage page = search.search(indexes.of(tenant), new SearchQuery(query, limit, offset));
        List<SearchResult> results = new ArrayList<>(page.hits().size());
        for (SearchHit hit : page.hits()) {
            results.add(new SearchResult(hit.document(), hit.score()));
        }
        return new SearchResponse(results, page.total(), Duration.ofNanos(System.nanoTime() - started));
    }
}
