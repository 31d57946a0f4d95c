package io.mirador.state;

import io.mirador.config.ConfigOverrides;
import java.util.Map;

/**
 * Where sync state, last status and the run-time sync config survive restarts. Every record carries a
 * version; a store holding two copies (the file and Valkey) keeps the newer of each.
 */
public interface SyncStateStore extends AutoCloseable {

    /** Every tenant's record, as last saved. */
    Map<String, TenantSyncRecord> loadAll();

    /**
     * Keeps a tenant's record.
     *
     * @throws StateStoreException when it cannot be kept (a full disk, an unwritable directory)
     */
    void save(String tenantId, TenantSyncRecord record);

    /** The run-time config changes last saved by {@code PUT .../sync/config}; {@link ConfigOverrides#NONE} if none. */
    ConfigOverrides loadConfig();

    /** @throws StateStoreException when it cannot be kept */
    void saveConfig(ConfigOverrides config);

    /** Where the config is kept, for messages: a file, a key. */
    String configLocation();

    /** Whether the store takes writes now. */
    boolean isAvailable();

    @Override
    void close();
}
