package io.mirador.state;

import io.mirador.config.ConfigOverrides;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

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

    /**
     * Reads the shared copy now: every record or config another replica saved in a newer version is taken and
     * told to the listeners. A store that only this process writes has nothing to read.
     */
    default void refresh() {
    }

    /** Told of every tenant record another replica saved in a newer version (found by {@link #refresh()} or every second). */
    default void onNewerRecord(BiConsumer<String, TenantSyncRecord> listener) {
    }

    /** Told of every run-time config another replica saved in a newer version. */
    default void onNewerConfig(Consumer<ConfigOverrides> listener) {
    }

    @Override
    void close();
}
