package io.mirador.state;

import io.mirador.config.SyncStrategy;


import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The current or last sync of a tenant ({@code GET .../sync/{tenantId}/status}).
 *
 * @param status {@code running}, {@code completed}, {@code failed}, {@code cancelled}, or {@code idle} before the first sync
 * @param errors why the sync failed or was cancelled
 */
public record SyncStatus(
        String tenantId,
        String status,
        Instant startTime,
        Instant endTime,
        Duration duration,
        SyncStrategy strategy,
        String trigger,
        int metricsProcessed,
        int metricsAdded,
        int metricsUpdated,
        int metricsRemoved,
        List<String> errors) {

    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    public static final String IDLE = "idle";

    public static SyncStatus idle(String tenantId) {
        return new SyncStatus(tenantId, IDLE, null, null, null, null, null, 0, 0, 0, 0, null);
    }

    /** A status left {@code running} by a process that stopped mid-sync, read at the next start. */
    public SyncStatus interrupted() {
        return new SyncStatus(tenantId, FAILED, startTime, endTime, duration, strategy, trigger, metricsProcessed,
                metricsAdded, metricsUpdated, metricsRemoved,
                List.of("interrupted: the service stopped before the sync finished; nothing of it was committed"));
    }
}
