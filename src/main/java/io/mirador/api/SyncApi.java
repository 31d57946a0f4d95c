package io.mirador.api;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.security.Caller;
import io.mirador.security.Role;
import io.mirador.source.TimeWindow;
import io.mirador.config.SyncConfig;
import io.mirador.sync.SyncRequest;
import io.mirador.sync.SyncRun;
import io.mirador.sync.SyncRuns;
import io.mirador.config.SyncSettings;
import io.mirador.state.SyncState;
import io.mirador.state.SyncStateStore;
import io.mirador.state.SyncStatus;
import io.mirador.tenant.Tenants;
import io.mirador.index.TenantIndexes;
import io.mirador.replica.CatalogFollower;
import io.mirador.replica.Generations;
import io.mirador.replica.SyncForwarding;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.mirador.config.ConfigOverrides;
import io.mirador.config.SyncConfigField;
import io.mirador.config.SyncStrategy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sync endpoints: trigger a sync (two forms), read a tenant's state and status, read and
 * change the sync config. Triggers answer when the sync has finished.
 */
public final class SyncApi {

    /** Body of {@code POST /api/v1/metrics/sync} (MIRADOR-CORE's fields, plus allow_removal). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SyncBody(String tenantId, Boolean forceFullSync, TimeRange timeRange, Integer batchSize,
                           Boolean allowRemoval) {
    }

    /** A time range, RFC 3339 instants. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TimeRange(Instant start, Instant end) {
    }

    /**
     * The result of a finished sync, the same for both ways of asking: {@code POST /api/v1/metrics/sync}
     * answers it as it is, {@code POST /api/v1/metrics/sync/{tenantId}} inside {@link TriggerResponse}.
     *
     * @param duration     how long it took, Go-style ("1.5s")
     * @param durationMs   the same in milliseconds
     * @param lastSyncTime when it ended (= end_time)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SyncResult(String tenantId, String status, SyncStrategy strategy, int metricsProcessed,
                             int metricsAdded, int metricsUpdated, int metricsRemoved,
                             Duration duration, long durationMs,
                             Instant startTime, Instant endTime, Instant lastSyncTime, List<String> errors) {

        static SyncResult of(SyncStatus s) {
            return new SyncResult(s.tenantId(), s.status(), s.strategy(), s.metricsProcessed(), s.metricsAdded(),
                    s.metricsUpdated(), s.metricsRemoved(), s.duration(), s.duration().toMillis(), s.startTime(),
                    s.endTime(), s.endTime(), s.errors());
        }
    }

    /** The answer to {@code POST /api/v1/metrics/sync/{tenantId}}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TriggerResponse(String message, SyncResult result) {
    }

    /**
     * A tenant's sync state as this replica answers it: the shared history, with the counts of the index this replica
     * serves, which generation of the catalog that is, and which replica runs the syncs.
     *
     * @param indexGeneration   the catalog generation this replica's index serves
     * @param catalogGeneration the newest generation of the catalog (the same as index_generation when current)
     * @param syncHolder        the replica holding the sync lease, as this replica last saw it; absent while none does,
     *                          and alone
     * @param embeddingsWaiting metrics whose text waits to be embedded for semantic search; absent while not yet
     *                          counted since the last commit, and with semantic search off
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StateView(@JsonUnwrapped SyncState state, long indexGeneration, long catalogGeneration,
                            String syncHolder, Integer embeddingsWaiting) {
    }

    /** The sync config in force, with where each value comes from (field name to source). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ConfigView(@JsonUnwrapped SyncConfig config, Map<String, String> sources) {
    }

    /** Answer to a config change. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ConfigResponse(String message, SyncConfig config, Map<String, String> sources) {
    }

    private final Tenants tenants;
    private final SyncRuns runs;
    private final SyncSettings settings;
    private final SyncStateStore store;
    private final String defaultTenant;
    private final Clock clock;

    private final TenantIndexes indexes;
    private final CatalogFollower follower;
    private final SyncForwarding forwarding;
    private final Function<String, Integer> embeddingsWaiting;

    public SyncApi(Tenants tenants, SyncRuns runs, SyncSettings settings, SyncStateStore store,
                   String defaultTenant, Clock clock, TenantIndexes indexes, CatalogFollower follower,
                   SyncForwarding forwarding, Function<String, Integer> embeddingsWaiting) {
        this.embeddingsWaiting = embeddingsWaiting;
        this.clock = clock;
        this.indexes = indexes;
        this.follower = follower;
        this.forwarding = forwarding;
        this.tenants = tenants;
        this.runs = runs;
        this.settings = settings;
        this.store = store;
        this.defaultTenant = defaultTenant;
    }

    /** {@code POST /sync/{tenantId}?forceFull=&allowRemoval=}: the sync request, checked. */
    public SyncRequest trigger(@Header("tenantId") String tenantId, @Header("forceFull") String forceFull,
                               @Header("allowRemoval") String allowRemoval, @ExchangeProperty("caller") Caller caller) {
        caller.require(Role.SYNC, tenantId);
        tenants.get(tenantId);
        return new SyncRequest(tenantId, parseBoolean("forceFull", forceFull), "api", null, null,
                parseBoolean("allowRemoval", allowRemoval));
    }

    /** {@code POST /sync} with its body: the sync request, checked. */
    public SyncRequest triggerBody(@Body Object body, @ExchangeProperty("caller") Caller caller) {
        SyncBody b = body instanceof SyncBody sent ? sent : new SyncBody(null, null, null, null, null);
        String tenantId = b.tenantId() == null || b.tenantId().isEmpty() ? defaultTenant : b.tenantId();
        caller.require(Role.SYNC, tenantId);
        tenants.get(tenantId);
        TimeWindow window = null;
        if (b.timeRange() != null) {
            TimeRange r = b.timeRange();
            if (r.start() == null || r.end() == null || !r.start().isBefore(r.end())) {
                throw ApiException.badData("time_range needs start before end (RFC 3339 times)");
            }
            window = new TimeWindow(r.start(), r.end());
        }
        if (b.batchSize() != null && (b.batchSize() < 1 || b.batchSize() > SyncConfig.MAX_BATCH_SIZE)) {
            throw ApiException.badData("batch_size must be between 1 and " + SyncConfig.MAX_BATCH_SIZE);
        }
        return new SyncRequest(tenantId, Boolean.TRUE.equals(b.forceFullSync()), "api", window, b.batchSize(),
                Boolean.TRUE.equals(b.allowRemoval()));
    }

    /** The answer to {@code POST /sync/{tenantId}} once the sync has finished (here, or on the replica holding the syncs). */
    public TriggerResponse triggerResponse(@Body Object finished) {
        return new TriggerResponse("Sync completed successfully", SyncResult.of(finished(finished)));
    }

    /** The answer to {@code POST /sync} once the sync has finished. */
    public SyncResult syncResult(@Body Object finished) {
        return SyncResult.of(finished(finished));
    }

    /**
     * The sync's own outcome (the tenant's status may already be the next sync's): a run finished here, or the status
     * the replica holding the syncs answered.
     */
    private SyncStatus finished(Object finished) {
        SyncStatus s = finished instanceof SyncRun run ? run.outcome() : (SyncStatus) finished;
        if (!SyncStatus.COMPLETED.equals(s.status())) {
            String reason = s.errors() == null || s.errors().isEmpty() ? s.status() : s.errors().get(0);
            throw new ApiException(503, "unavailable", "sync " + s.status() + ": " + reason, s);
        }
        return s;
    }

    public StateView state(@Header("tenantId") String tenantId, @ExchangeProperty("caller") Caller caller) {
        caller.require(Role.READ, tenantId);
        Generations g = follower.generations(tenantId);
        return new StateView(runs.state(tenantId).serving(indexes.of(tenantId).counts()), g.serving(), g.catalog(),
                forwarding.holder().orElse(null), embeddingsWaiting.apply(tenantId));
    }

    public SyncStatus status(@Header("tenantId") String tenantId, @ExchangeProperty("caller") Caller caller) {
        caller.require(Role.READ, tenantId);
        return runs.status(tenantId);
    }

    /** The config applies to every tenant: reading and changing it takes an admin key for all tenants. */
    public ConfigView config(@ExchangeProperty("caller") Caller caller) {
        caller.requireAllTenants(Role.ADMIN);
        return new ConfigView(settings.current(), settings.sources());
    }

    /**
     * {@code PUT /sync/config}: applies valid fields to the running service and keeps them; they win over the
     * settings until {@code DELETE /sync/config}. Nothing changes unless every field is valid and stored.
     */
    public ConfigResponse updateConfig(@Body Object body, @ExchangeProperty("caller") Caller caller) {
        caller.requireAllTenants(Role.ADMIN);
        if (!(body instanceof SyncConfigChange change)) {
            throw ApiException.badData("request body must be a JSON object of sync config fields");
        }
        JsonNode patch = change.fields();
        Map<SyncConfigField, Object> changes = new EnumMap<>(SyncConfigField.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            SyncConfigField field = SyncConfigField.byJsonName(e.getKey()).orElseThrow(() -> ApiException.badData(
                    "unknown field '" + abbreviate(e.getKey()) + "'; known fields: " + Arrays.stream(SyncConfigField.values())
                            .map(SyncConfigField::jsonName).sorted().collect(Collectors.joining(", "))));
            try {
                changes.put(field, field.read(e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw ApiException.badData(field.jsonName() + " " + ex.getMessage());
            }
        }
        ConfigOverrides next;
        try {
            next = settings.change(changes, "key '" + caller.name() + "'", clock.instant());
        } catch (IllegalArgumentException e) {
            throw ApiException.badData(e.getMessage());
        }
        store.saveConfig(next);
        settings.apply(next);
        return new ConfigResponse("Sync configuration updated successfully", settings.current(), settings.sources());
    }

    /** {@code DELETE /sync/config}: drops every run-time change; the settings and environment apply again. */
    public ConfigResponse resetConfig(@ExchangeProperty("caller") Caller caller) {
        caller.requireAllTenants(Role.ADMIN);
        ConfigOverrides next = settings.reset("key '" + caller.name() + "'", clock.instant());
        store.saveConfig(next);
        settings.apply(next);
        return new ConfigResponse("Sync configuration reset to the settings", settings.current(), settings.sources());
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    private static boolean parseBoolean(String name, String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.badData(name + " must be true or false, was '" + abbreviate(value) + "'");
        };
    }
}
