package io.mirador.sync;

import io.mirador.config.SyncConfig;
import io.mirador.config.SyncSettings;
import io.mirador.config.TenantSyncOverrides;
import io.mirador.index.TenantIndex;
import io.mirador.index.TenantIndexes;
import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, on every tick of the {@code sync-schedule} timer, which tenants are due: those not syncing
 * whose last sync started an interval (the tenant's own, if it has one) ago or more (or never synced). Which strategy a due sync uses is
 * {@link SyncRuns#planned}'s choice, so a restart neither repeats nor skips a full sync.
 */
public final class SyncSchedule {

    private final Tenants tenants;
    private final SyncRuns runs;
    private final SyncSettings settings;
    private final Clock clock;
    private final TenantSyncOverrides overrides;
    private final TenantIndexes indexes;

    public SyncSchedule(Tenants tenants, SyncRuns runs, SyncSettings settings, Clock clock, TenantSyncOverrides overrides,
                        TenantIndexes indexes) {
        this.tenants = tenants;
        this.indexes = indexes;
        this.runs = runs;
        this.settings = settings;
        this.clock = clock;
        this.overrides = overrides;
    }

    /**
     * The syncs to start now. A tenant whose index was found corrupt is due at once, scheduled syncs enabled or
     * not (a repair, not a schedule), and again every interval until a full sync has rebuilt it.
     */
    public List<SyncRequest> due() {
        SyncConfig config = settings.current();
        List<SyncRequest> out = new ArrayList<>();
        Instant now = clock.instant();
        for (Tenant t : tenants.all()) {
            if (runs.isRunning(t.id())) {
                continue;
            }
            TenantIndex index = indexes.of(t.id());
            Instant lastStart = runs.status(t.id()).startTime();
            boolean intervalPassed = lastStart == null || !lastStart.plus(overrides.interval(t.id(), config)).isAfter(now);
            boolean rebuildDue = index.isRebuilding() && (intervalPassed
                    || lastStart.isBefore(index.rebuilding().orElseThrow().since()));
            if (rebuildDue || config.enabled() && intervalPassed) {
                out.add(SyncRequest.scheduled(t.id()));
            }
        }
        return out;
    }
}
