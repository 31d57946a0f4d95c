package io.mirador.state;


import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the state store keeps per tenant: its sync state and the status of its last sync, with a version
 * that grows by one with every save, so that between two copies (the state file and Valkey) the newer wins.
 *
 * @param version 0 for a record written before records had versions
 * @param savedAt when this version was saved
 */
public record TenantSyncRecord(long version, Instant savedAt, SyncState state, SyncStatus status) {

    /** The record of a tenant never synced. */
    public static TenantSyncRecord initial(String tenantId) {
        return new TenantSyncRecord(0, null, SyncState.initial(tenantId), SyncStatus.idle(tenantId));
    }

    /** The next version of this record, holding {@code state} and {@code status}. */
    public TenantSyncRecord next(SyncState state, SyncStatus status, Instant at) {
        return new TenantSyncRecord(version + 1, at, state, status);
    }

    /** Whether this record is newer than {@code other} (a missing record is older than any). */
    public boolean isNewerThan(TenantSyncRecord other) {
        return other == null || version > other.version;
    }

    /** What is wrong with a record read from a store; empty when it can be used for this tenant. */
    public List<String> problems(String tenantId) {
        List<String> out = new ArrayList<>();
        if (version < 0) {
            out.add("version is negative");
        }
        if (state == null || status == null) {
            out.add("state or status is missing");
            return out;
        }
        if (!tenantId.equals(state.tenantId()) || !tenantId.equals(status.tenantId())) {
            out.add("it belongs to tenant '" + state.tenantId() + "'");
        }
        if (state.totalSyncs() < 0 || state.successfulSyncs() < 0 || state.failedSyncs() < 0 || state.metricsInIndex() < 0) {
            out.add("a count is negative");
        }
        if (status.status() == null) {
            out.add("status.status is missing");
        }
        return out;
    }
}
