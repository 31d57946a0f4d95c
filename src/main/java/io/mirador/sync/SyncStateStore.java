package io.mirador.sync;

import java.util.Map;
import java.util.Optional;

/** Where sync state, last status and the run-time sync config survive restarts. */
public interface SyncStateStore extends AutoCloseable {

    /** Every tenant's record, as last saved. */
    Map<String, TenantSyncRecord> loadAll();

    void save(String tenantId, TenantSyncRecord record);

    /** The sync config last saved by {@code PUT .../sync/config}, if any. */
    Optional<SyncConfig> loadConfig();

    void saveConfig(SyncConfig config);

    /** Whether the store can be written now; "embedded" always can. */
    boolean isAvailable();

    @Override
    void close();
}
