package io.mirador.explorer;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.mirador.api.ApiException;
import io.mirador.catalog.MetricDocument;
import io.mirador.index.QueryLimits;
import io.mirador.index.TenantIndexes;
import io.mirador.security.Caller;
import io.mirador.security.Role;
import io.mirador.support.GoDuration;
import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import java.time.Duration;
import java.util.List;

/**
 * The two endpoints only the web explorer needs: what the page may show the caller, and a metric's live preview.
 */
public final class ExplorerApi {

    private final Tenants tenants;
    private final TenantIndexes indexes;
    private final MetricPreview preview;
    private final ExplorerSettings settings;
    private final String defaultTenant;

    public ExplorerApi(Tenants tenants, TenantIndexes indexes, MetricPreview preview, ExplorerSettings settings,
                       String defaultTenant) {
        this.tenants = tenants;
        this.indexes = indexes;
        this.preview = preview;
        this.settings = settings;
        this.defaultTenant = defaultTenant;
    }

    /**
     * What the page shows this caller: the tenants its key reaches (the default one first when it does), its role,
     * the links and label facets the operator set.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ExplorerView(List<String> tenants, String defaultTenant, String role, String grafanaUrl, String vmuiUrl,
                               List<String> facetLabels) {
    }

    /** {@code GET /api/v1/metrics/explorer}. */
    public ExplorerView view(@ExchangeProperty("caller") Caller caller) {
        caller.require(Role.READ);
        List<String> reached = tenants.all().stream().map(Tenant::id).filter(caller::reaches)
                .sorted((a, b) -> a.equals(defaultTenant) ? -1 : b.equals(defaultTenant) ? 1 : a.compareTo(b)).toList();
        // sorted default first: the first tenant reached is the one the page starts on
        return new ExplorerView(reached, reached.isEmpty() ? null : reached.get(0),
                caller.role().id(), settings.grafanaUrl(), settings.vmuiUrl(), settings.facetLabels());
    }

    /** {@code GET /api/v1/metrics/{tenantId}/{name}/preview?range=1h}: the metric's suggested query over the range. */
    public MetricPreview.Preview preview(@Header("tenantId") String tenantId, @Header("name") String name,
                                         @Header("range") String range, @ExchangeProperty("caller") Caller caller) {
        caller.require(Role.READ, tenantId);
        Duration over = range(range);
        Tenant tenant = tenants.get(tenantId);
        MetricDocument doc = indexes.of(tenantId).get(name).orElseThrow(() ->
                ApiException.notFound("tenant " + tenantId + " has no metric named '" + name + "'"));
        return preview.run(tenant, SuggestedQuery.of(doc), over);
    }

    private static Duration range(String text) {
        if (text == null || text.isBlank()) {
            return Duration.ofHours(1);
        }
        try {
            // a bare number would be read as nanoseconds: a range has a unit
            if (text.strip().matches("[0-9]+")) {
                throw new IllegalArgumentException("no unit");
            }
            return GoDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badData("range must be a duration such as 15m, 1h or 1d; was '"
                    + QueryLimits.abbreviate(text) + "'");
        }
    }
}
