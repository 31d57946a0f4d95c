package io.mirador.api;

import org.apache.camel.ExchangeProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.mirador.index.TenantIndex;
import io.mirador.index.TenantIndexes;
import io.mirador.replica.CatalogFollower;
import io.mirador.replica.Generations;
import java.time.Duration;
import io.mirador.security.Caller;
import io.mirador.source.SourceProbe;
import io.mirador.security.Role;
import io.mirador.sync.SyncRuns;
import io.mirador.config.SyncSettings;
import io.mirador.state.SyncState;
import io.mirador.state.SyncStateStore;
import io.mirador.state.SyncStatus;
import io.mirador.config.TenantSyncOverrides;
import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code GET /api/v1/metrics/health}: per tenant, the last sync and its result, the metrics in the index,
 * whether the catalog is stale (no successful sync within two intervals), whether the source answers and how many
 * metrics wait to be embedded for semantic search;
 * and whether the state store takes writes. A tenant is unhealthy when it was never synced and cannot be
 * (its sync failed or its source is down), degraded when stale, failing or unreachable. {@code healthy}
 * and {@code degraded} answer 200, {@code unhealthy} (no tenant can be served) 503.
 */
public final class HealthApi {

    public static final String HEALTHY = "healthy";
    public static final String DEGRADED = "degraded";
    public static final String UNHEALTHY = "unhealthy";

    /** Health of one tenant. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TenantHealth(String tenantId, String status, Instant lastSyncTime, String lastSyncResult,
                               long metricsInIndex, boolean stale, boolean sourceReachable, long indexGeneration,
                               long catalogGeneration, Integer embeddingsWaiting, List<String> problems) {
    }

    /** The whole answer. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record HealthResponse(String status, boolean isHealthy, Instant checkedAt, String stateStore,
                                 List<TenantHealth> tenants) {
        @JsonIgnore
        public int httpStatus() {
            return UNHEALTHY.equals(status) ? 503 : 200;
        }
    }

    private final Tenants tenants;
    private final TenantIndexes indexes;
    private final SyncRuns runs;
    private final SyncSettings settings;
    private final SyncStateStore store;
    private final SourceProbe probe;
    private final TenantSyncOverrides overrides;
    private final Clock clock;
    private final Instant startedAt;

    private final CatalogFollower follower;
    /** How long this replica may serve an older generation than the catalog's before it is degraded. */
    private final Duration maxLag;
    /** Per tenant, how many metrics still wait to be embedded (null: not known, or semantic search is off). */
    private final Function<String, Integer> embeddingsWaiting;

    public HealthApi(Tenants tenants, TenantIndexes indexes, SyncRuns runs, SyncSettings settings, SyncStateStore store,
                     SourceProbe probe, TenantSyncOverrides overrides, Clock clock, CatalogFollower follower,
                     Duration maxLag, Function<String, Integer> embeddingsWaiting) {
        this.embeddingsWaiting = embeddingsWaiting;
        this.follower = follower;
        this.maxLag = maxLag;
        this.tenants = tenants;
        this.indexes = indexes;
        this.runs = runs;
        this.settings = settings;
        this.store = store;
        this.probe = probe;
        this.overrides = overrides;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** The health of the tenants the caller reaches. */
    public HealthResponse health(@ExchangeProperty("caller") Caller caller) {
        caller.require(Role.READ);
        Instant now = clock.instant();
        List<TenantHealth> out = new ArrayList<>();
        int unhealthy = 0;
        int degraded = 0;
        for (Tenant t : tenants.all()) {
            if (!caller.reaches(t.id())) {
                continue;
            }
            TenantHealth h = tenant(t, now);
            out.add(h);
            if (UNHEALTHY.equals(h.status())) {
                unhealthy++;
            } else if (DEGRADED.equals(h.status())) {
                degraded++;
            }
        }
        boolean storeUp = store.isAvailable();
        String status = unhealthy > 0 && unhealthy == out.size() ? UNHEALTHY
                : unhealthy + degraded > 0 || !storeUp ? DEGRADED : HEALTHY;
        return new HealthResponse(status, !UNHEALTHY.equals(status), now, storeUp ? "up" : "down", out);
    }

    private TenantHealth tenant(Tenant t, Instant now) {
        SyncState state = runs.state(t.id());
        SyncStatus last = runs.status(t.id());
        TenantIndex index = indexes.of(t.id());
        long inIndex = index.counts().metrics();
        Instant lastSuccess = state.lastSyncTime();
        Instant freshSince = now.minus(overrides.interval(t.id(), settings.current()).multipliedBy(2));
        boolean stale = (lastSuccess != null ? lastSuccess : startedAt).isBefore(freshSince);
        List<String> problems = new ArrayList<>();
        if (stale) {
            problems.add("no successful sync since " + (lastSuccess != null ? lastSuccess : "the service started at " + startedAt));
        }
        if (SyncStatus.FAILED.equals(last.status()) && last.errors() != null) {
            problems.add("last sync failed: " + last.errors().get(0));
        }
        index.rebuilding().ifPresent(r -> problems.add("the index was found corrupt at " + r.since() + " (" + r.reason()
                + "), moved aside to " + r.movedTo().getFileName() + ", and is being rebuilt from the source"));
        SourceProbe.Reachability source = probe.check(t);
        if (!source.reachable()) {
            problems.add("source " + t.apiBase() + " does not answer: " + source.error());
        }
        Generations g = follower.generations(t.id());
        boolean lagging = g.behindSince() != null && g.behindSince().isBefore(now.minus(maxLag));
        if (lagging) {
            problems.add("this replica serves catalog generation " + g.serving() + " while the catalog is at "
                    + g.catalog() + " since " + g.behindSince());
        }
        String status;
        if (lastSuccess == null && (SyncStatus.FAILED.equals(last.status()) || !source.reachable())) {
            status = UNHEALTHY;
        } else if (stale || SyncStatus.FAILED.equals(last.status()) || !source.reachable() || index.isRebuilding()
                || lagging) {
            status = DEGRADED;
        } else {
            status = HEALTHY;
        }
        return new TenantHealth(t.id(), status, state.lastSyncTime(), last.status(), inIndex, stale, source.reachable(),
                g.serving(), g.catalog(), embeddingsWaiting.apply(t.id()), problems.isEmpty() ? null : problems);
    }
}
