package io.mirador.sync;

import io.mirador.source.TimeWindow;

/**
 * A request to sync one tenant now.
 *
 * @param forceFull    run a full sync whatever the strategy would choose
 * @param trigger      who asked: {@code schedule} or {@code api}
 * @param window       the time range to read instead of the strategy's window, or null
 * @param batchSize    metric names per read batch instead of the configured batch_size, or null
 * @param allowRemoval let this one full sync remove more than {@code max_removal_share} of the metrics, or
 *                     all of them when the source lists none
 */
public record SyncRequest(String tenantId, boolean forceFull, String trigger, TimeWindow window, Integer batchSize,
                          boolean allowRemoval) {

    public static SyncRequest scheduled(String tenantId) {
        return new SyncRequest(tenantId, false, "schedule", null, null, false);
    }
}
