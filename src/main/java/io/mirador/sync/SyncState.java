package io.mirador.sync;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/** A tenant's sync history, in the seed's shape ({@code GET /api/v1/metrics/sync/{tenantId}/state}). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SyncState(
        String tenantId,
        Instant lastSyncTime,
        Instant lastFullSyncTime,
        long totalSyncs,
        long successfulSyncs,
        long failedSyncs,
        long metricsInIndex,
        boolean isCurrentlySyncing,
        String lastError,
        Instant lastErrorTime) {

    public static SyncState initial(String tenantId) {
        return new SyncState(tenantId, null, null, 0, 0, 0, 0, false, null, null);
    }

    SyncState started() {
        return new SyncState(tenantId, lastSyncTime, lastFullSyncTime, totalSyncs, successfulSyncs, failedSyncs,
                metricsInIndex, true, lastError, lastErrorTime);
    }

    SyncState succeeded(Instant at, boolean full, long inIndex) {
        return new SyncState(tenantId, at, full ? at : lastFullSyncTime, totalSyncs + 1, successfulSyncs + 1,
                failedSyncs, inIndex, false, lastError, lastErrorTime);
    }

    SyncState failed(Instant at, String error, long inIndex) {
        return new SyncState(tenantId, lastSyncTime, lastFullSyncTime, totalSyncs + 1, successfulSyncs,
                failedSyncs + 1, inIndex, false, error, at);
    }

    SyncState idle() {
        return new SyncState(tenantId, lastSyncTime, lastFullSyncTime, totalSyncs, successfulSyncs, failedSyncs,
                metricsInIndex, false, lastError, lastErrorTime);
    }
}
