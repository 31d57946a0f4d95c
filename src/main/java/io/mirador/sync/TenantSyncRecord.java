package io.mirador.sync;

/** What the state store keeps per tenant: its sync state and the status of its last sync. */
public record TenantSyncRecord(SyncState state, SyncStatus status) {
}
