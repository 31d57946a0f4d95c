package io.mirador.api;

import io.swagger.v3.oas.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.security.Caller;
import io.mirador.security.Role;
import io.mirador.source.TimeWindow;
import io.mirador.sync.SyncConfig;
import io.mirador.sync.SyncRequest;
import io.mirador.sync.SyncRun;
import io.mirador.sync.SyncRuns;
import io.mirador.sync.SyncSettings;
import io.mirador.sync.SyncState;
import io.mirador.sync.SyncStateStore;
import io.mirador.sync.SyncStatus;
import io.mirador.tenant.Tenants;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The sync endpoints of the seed: trigger a sync (two forms), read a tenant's state and status, read and
 * change the sync config. Triggers answer when the sync has finished.
 */
public final class SyncApi {

    /** Body of {@code POST /api/v1/metrics/sync} (the seed's fields). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SyncBody(String tenantId, Boolean forceFullSync, TimeRange timeRange, Integer batchSize) {
    }

    /** A time range of the seed, RFC 3339 instants. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TimeRange(Instant start, Instant end) {
    }

    /** The seed's result of {@code POST /api/v1/metrics/sync}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SyncResult(int metricsProcessed, int metricsAdded, int metricsUpdated, int metricsRemoved,
                             long durationMs, Instant lastSyncTime, List<String> errors) {
    }

    /** The seed's answer to {@code POST /api/v1/metrics/sync/{tenantId}}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TriggerResponse(String message, TriggerResult result) {
    }

    /** Counts and duration of a finished sync. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TriggerResult(int metricsProcessed, int metricsAdded, int metricsUpdated, int metricsRemoved,
                                @Schema(type = "string", example = "2m30s") Duration duration) {
    }

    /** Answer to a config change. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ConfigResponse(String message, SyncConfig config) {
    }

    private final RequestBodies bodies;
    private final Tenants tenants;
    private final SyncRuns runs;
    private final SyncSettings settings;
    private final SyncStateStore store;
    private final String defaultTenant;

    public SyncApi(RequestBodies bodies, Tenants tenants, SyncRuns runs, SyncSettings settings, SyncStateStore store,
                   String defaultTenant) {
        this.bodies = bodies;
        this.tenants = tenants;
        this.runs = runs;
        this.settings = settings;
        this.store = store;
        this.defaultTenant = defaultTenant;
    }

    /** {@code POST /sync/{tenantId}?forceFull=}: the sync request, checked. */
    public SyncRequest trigger(String tenantId, String forceFull, Caller caller) {
        caller.require(Role.SYNC, tenantId);
        tenants.get(tenantId);
        return new SyncRequest(tenantId, parseBoolean("forceFull", forceFull), "api", null, null);
    }

    /** {@code POST /sync} with the seed's body: the sync request, checked. */
    public SyncRequest triggerBody(String body, Caller caller) {
        SyncBody b = bodies.read(body, SyncBody.class, new SyncBody(null, null, null, null));
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
        return new SyncRequest(tenantId, Boolean.TRUE.equals(b.forceFullSync()), "api", window, b.batchSize());
    }

    /** The answer to {@code POST /sync/{tenantId}} once the sync has finished. */
    public TriggerResponse triggerResponse(SyncRun run) {
        SyncStatus s = finished(run);
        return new TriggerResponse("Sync completed successfully", new TriggerResult(s.metricsProcessed(),
                s.metricsAdded(), s.metricsUpdated(), s.metricsRemoved(), s.duration()));
    }

    /** The answer to {@code POST /sync} once the sync has finished. */
    public SyncResult syncResult(SyncRun run) {
        SyncStatus s = finished(run);
        return new SyncResult(s.metricsProcessed(), s.metricsAdded(), s.metricsUpdated(), s.metricsRemoved(),
                s.duration().toMillis(), s.endTime(), s.errors());
    }

    /** The run's own outcome: the tenant's status may already be the next sync's. */
    private SyncStatus finished(SyncRun run) {
        SyncStatus s = run.outcome();
        if (!SyncStatus.COMPLETED.equals(s.status())) {
            String reason = s.errors() == null || s.errors().isEmpty() ? s.status() : s.errors().get(0);
            throw new ApiException(503, "unavailable", "sync " + s.status() + ": " + reason, s);
        }
        return s;
    }

    public SyncState state(String tenantId, Caller caller) {
        caller.require(Role.READ, tenantId);
        return runs.state(tenantId);
    }

    public SyncStatus status(String tenantId, Caller caller) {
        caller.require(Role.READ, tenantId);
        return runs.status(tenantId);
    }

    /** The config applies to every tenant: reading and changing it takes an admin key for all tenants. */
    public SyncConfig config(Caller caller) {
        caller.requireAllTenants(Role.ADMIN);
        return settings.current();
    }

    /** {@code PUT /sync/config}: applies a valid config (whole or some fields) to the running service and keeps it. */
    public ConfigResponse updateConfig(String body, Caller caller) {
        caller.requireAllTenants(Role.ADMIN);
        JsonNode patch = bodies.read(body, JsonNode.class, null);
        if (patch == null || !patch.isObject()) {
            throw ApiException.badData("request body must be a JSON object of sync config fields");
        }
        SyncConfig next = SyncConfigPatch.apply(settings.current(), patch);
        List<String> problems = next.problems();
        if (!problems.isEmpty()) {
            throw ApiException.badData(String.join("; ", problems));
        }
        store.saveConfig(next);
        settings.replace(next);
        return new ConfigResponse("Sync configuration updated successfully", next);
    }

    private static boolean parseBoolean(String name, String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value.toLowerCase()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.badData(name + " must be true or false, was '" + value + "'");
        };
    }
}
