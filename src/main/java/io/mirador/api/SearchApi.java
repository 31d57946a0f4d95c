package io.mirador.api;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.mirador.catalog.MetricDocument;
import io.mirador.index.MetricSearch;
import io.mirador.index.MetricSuggest;
import io.mirador.index.SearchHit;
import io.mirador.index.SearchPage;
import io.mirador.index.QuerySyntaxException;
import io.mirador.index.SearchFilters;
import io.mirador.index.SearchQuery;
import io.mirador.index.TenantIndexes;
import io.mirador.security.Caller;
import io.mirador.security.Role;

import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The search endpoints: {@code POST /api/v1/metrics/search}, name completion and one metric's document.
 * Validates the request (its body bound by the REST binding: an empty body is an empty search), asks the tenant's
 * index, shapes the answer.
 */
public final class SearchApi {

    static final int MAX_LIMIT = 1000;
    static final int MAX_OFFSET = 100_000;
    static final int MAX_QUERY_LENGTH = 1000;

    private final TenantIndexes indexes;
    private final MetricSearch search;
    private final MetricSuggest suggest = new MetricSuggest();
    private final String defaultTenant;
    private final Supplier<MeterRegistry> meters;
    private final SearchesInFlight inFlight;

    /**
     * @param meters   where {@code mirador_search_duration} (by tenant and endpoint) is recorded
     * @param inFlight counts the searches being answered, so that syncs give way to them
     */
    public SearchApi(TenantIndexes indexes, MetricSearch search, String defaultTenant,
                     Supplier<MeterRegistry> meters, SearchesInFlight inFlight) {
        this.inFlight = inFlight;
        this.indexes = indexes;
        this.search = search;
        this.defaultTenant = defaultTenant;
        this.meters = meters;
    }

    private Duration took(long started, String tenant, String endpoint) {
        long nanos = System.nanoTime() - started;
        meters.get().timer("mirador_search_duration", "tenant", tenant, "endpoint", endpoint).record(nanos, TimeUnit.NANOSECONDS);
        return Duration.ofNanos(nanos);
    }

    public SearchResponse search(@Body Object body, @ExchangeProperty("caller") Caller caller) {
        inFlight.enter();
        try {
            return searchNow(body, caller);
        } finally {
            inFlight.leave();
        }
    }

    private SearchResponse searchNow(Object body, Caller caller) {
        long started = System.nanoTime();
        SearchRequest request = body instanceof SearchRequest r ? r : SearchRequest.EMPTY;
        String tenant = request.tenantId() == null || request.tenantId().isEmpty() ? defaultTenant : request.tenantId();
        caller.require(Role.READ, tenant);
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
        SearchQuery.SortOrder sort = sortOrder(request.sort());
        boolean ascending = ascending(request.order(), sort);
        SearchFilters filters = new SearchFilters(nonNull(request.types()), nonNull(request.units()), labels(request.labels()));
        SearchPage page;
        try {
            page = search.search(indexes.of(tenant), new SearchQuery(query, filters, sort, ascending, limit, offset,
                    Boolean.TRUE.equals(request.facets()), !Boolean.FALSE.equals(request.highlight()), !Boolean.FALSE.equals(request.semantic())));
        } catch (QuerySyntaxException e) {
            throw ApiException.badData("query: " + e.getMessage());
        }
        List<SearchResult> results = new ArrayList<>(page.hits().size());
        for (SearchHit hit : page.hits()) {
            results.add(new SearchResult(hit.sourceJson(), hit.score(), hit.highlights(), hit.match()));
        }
        return new SearchResponse(results, page.total(), took(started, tenant, "search"), page.facets(), page.mode());
    }

    /** One name completion. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Suggestion(String name, String type, String unit, String help) {
    }

    /** The answer of {@code GET /api/v1/metrics/suggest}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SuggestResponse(List<Suggestion> suggestions, Duration took) {
    }

    /** {@code GET /api/v1/metrics/suggest?q=&tenant_id=&limit=}: names completing what was typed. */
    public SuggestResponse suggest(@Header("q") String typed, @Header("tenant_id") String tenantId,
                                   @Header("limit") String limitText, @ExchangeProperty("caller") Caller caller) {
        inFlight.enter();
        try {
            return suggestNow(typed, tenantId, limitText, caller);
        } finally {
            inFlight.leave();
        }
    }

    private SuggestResponse suggestNow(String typed, String tenantId, String limitText, Caller caller) {
        long started = System.nanoTime();
        String tenant = tenantId == null || tenantId.isEmpty() ? defaultTenant : tenantId;
        caller.require(Role.READ, tenant);
        int limit = limitText == null || limitText.isEmpty() ? 10 : parseLimit(limitText);
        String q = typed == null ? "" : typed;
        if (q.length() > MAX_QUERY_LENGTH) {
            throw ApiException.badData("q is " + q.length() + " characters long; at most " + MAX_QUERY_LENGTH + " are accepted");
        }
        List<Suggestion> out = new ArrayList<>();
        try {
            for (MetricDocument d : suggest.suggest(indexes.of(tenant), q, limit)) {
                out.add(new Suggestion(d.name(), d.type(), d.unit(), d.help()));
            }
        } catch (QuerySyntaxException e) {
            throw ApiException.badData(e.getMessage());
        }
        return new SuggestResponse(out, took(started, tenant, "suggest"));
    }

    /** {@code GET /api/v1/metrics/{tenantId}/{name}}: the whole document of one metric. */
    public MetricDocument detail(@Header("tenantId") String tenantId, @Header("name") String name, @ExchangeProperty("caller") Caller caller) {
        caller.require(Role.READ, tenantId);
        inFlight.enter();
        try {
            return indexes.of(tenantId).get(name).orElseThrow(() ->
                    ApiException.notFound("tenant " + tenantId + " has no metric named '" + name + "'"));
        } finally {
            inFlight.leave();
        }
    }

    private static int parseLimit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= 100) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badData("limit must be a whole number between 1 and 100, was '" + text + "'");
    }

    private static SearchQuery.SortOrder sortOrder(String sort) {
        if (sort == null || sort.isEmpty()) {
            return SearchQuery.SortOrder.RELEVANCE;
        }
        try {
            return SearchQuery.SortOrder.valueOf(sort.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badData("sort must be one of relevance, name, series_count, last_seen; was '" + sort + "'");
        }
    }

    private static boolean ascending(String order, SearchQuery.SortOrder sort) {
        if (order == null || order.isEmpty()) {
            return sort == SearchQuery.SortOrder.NAME;
        }
        return switch (order.toLowerCase(Locale.ROOT)) {
            case "asc" -> true;
            case "desc" -> false;
            default -> throw ApiException.badData("order must be asc or desc; was '" + order + "'");
        };
    }

    /** The label filters, each with a key and a value ("*" for any value). */
    private static Map<String, String> labels(Map<String, String> labels) {
        if (labels == null) {
            return Map.of();
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null || e.getValue().isEmpty()) {
                throw ApiException.badData("labels: '" + e.getKey() + "' needs a value: a label value, a pattern with"
                        + " * and ?, or \"*\" for any value");
            }
        }
        return labels;
    }

    private static List<String> nonNull(List<String> values) {
        if (values == null) {
            return List.of();
        }
        for (String v : values) {
            if (v == null || v.isBlank()) {
                throw ApiException.badData("types and units must not hold empty values");
            }
        }
        return values;
    }
}
