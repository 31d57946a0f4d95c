package io.mirador.state;


import io.mirador.index.TenantIndex;

import java.time.Instant;

/**
 * A tenant's sync history ({@code GET /api/v1/metrics/sync/{tenantId}/state}).
 *
 * @param metricsInIndex   the metrics a search lists (a histogram or summary family counts once)
 * @param documentsInIndex every document of the index: metrics, and the parts of their families
 *                         ({@code _bucket}, {@code _sum}, {@code _count})
 */
public record SyncState(
        String tenantId,
        Instant lastSyncTime,
        Instant lastFullSyncTime,
        long totalSyncs,
        long successfulSyncs,
        long failedSyncs,
        long metricsInIndex,
        long documentsInIndex,
        boolean isCurrentlySyncing,
        String lastError,
        Instant lastErrorTime) {

    public static SyncState initial(String tenantId) {
        return new SyncState(tenantId, null, null, 0, 0, 0, 0, 0, false, null, null);
    }

    public SyncState started() {
        return new SyncState(tenantId, lastSyncTime, lastFullSyncTime, totalSyncs, successfulSyncs, failedSyncs,
                metricsInIndex, documentsInIndex, true, lastError, lastErrorTime);
    }

    public SyncState succeeded(Instant at, boolean full, TenantIndex.Counts counts) {
        return new SyncState(tenantId, at, full ? at : lastFullSyncTime, totalSyncs + 1, successfulSyncs + 1,
                failedSyncs, counts.metrics(), counts.documents(), false, lastError, lastErrorTime);
    }

    public SyncState failed(Instant at, String error, TenantIndex.Counts counts) {
        return new SyncState(tenantId, lastSyncTime, lastFullSyncTime, totalSyncs + 1, successfulSyncs,
                failedSyncs + 1, counts.metrics(), counts.documents(), false, error, at);
    }

    /** This state with what an index serves: each replica answers its own counts, whoever synced. */
    public SyncState serving(TenantIndex.Counts counts) {
        return new SyncState(tenantId, lastSyncTime, lastFullSyncTime, totalSyncs, successfulSyncs, failedSyncs,
                counts.metrics(), counts.documents(), isCurrentlySyncing, lastError, lastErrorTime);
    }

    public SyncState idle() {
        return new SyncState(tenantId, lastSyncTime, lastFullSyncTime, totalSyncs, successfulSyncs, failedSyncs,
                metricsInIndex, documentsInIndex, false, lastError, lastErrorTime);
    }
}
