package io.mirador.sync;

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

    public SyncSchedule(Tenants tenants, SyncRuns runs, SyncSettings settings, Clock clock, TenantSyncOverrides overrides) {
        this.tenants = tenants;
        this.runs = runs;
        this.settings = settings;
        this.clock = clock;
        this.overrides = overrides;
    }

    public List<SyncRequest> due() {
        SyncConfig config = settings.current();
        List<SyncRequest> out = new ArrayList<>();
        if (!config.enabled()) {
            return out;
        }
        Instant now = clock.instant();
        for (Tenant t : tenants.all()) {
            if (runs.isRunning(t.id())) {
                continue;
            }
            Instant lastStart = runs.status(t.id()).startTime();
            if (lastStart == null || !lastStart.plus(overrides.interval(t.id(), config)).isAfter(now)) {
                out.add(SyncRequest.scheduled(t.id()));
            }
        }
        return out;
    }
}
