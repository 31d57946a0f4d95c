package io.mirador.sync;

import io.mirador.config.ConfigOverrides;
import io.mirador.state.StateStoreException;
import io.mirador.state.SyncStateStore;
import io.mirador.state.TenantSyncRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A state store in memory for unit tests: keeps what is saved, lists every save, and fails on demand like a full disk. */
final class MemoryStateStore implements SyncStateStore {

    private final Map<String, TenantSyncRecord> records = new HashMap<>();
    private final List<TenantSyncRecord> saves = new ArrayList<>();
    private ConfigOverrides config = ConfigOverrides.NONE;
    private volatile boolean failing;

    /** A store holding {@code record} already, as left by an earlier process. */
    MemoryStateStore holding(String tenantId, TenantSyncRecord record) {
        records.put(tenantId, record);
        return this;
    }

    /** From now on, every save fails (or succeeds again). */
    void failing(boolean failing) {
        this.failing = failing;
    }

    /** The records saved, in order. */
    synchronized List<TenantSyncRecord> saves() {
        return List.copyOf(saves);
    }

    synchronized TenantSyncRecord saved(String tenantId) {
        return records.get(tenantId);
    }

    @Override
    public synchronized Map<String, TenantSyncRecord> loadAll() {
        return Map.copyOf(records);
    }

    @Override
    public synchronized void save(String tenantId, TenantSyncRecord record) {
        if (failing) {
            throw new StateStoreException("cannot write the state of tenant " + tenantId,
                    new IOException("No space left on device"));
        }
        records.put(tenantId, record);
        saves.add(record);
    }

    @Override
    public synchronized ConfigOverrides loadConfig() {
        return config;
    }

    @Override
    public synchronized void saveConfig(ConfigOverrides config) {
        if (failing) {
            throw new StateStoreException("cannot write the sync config", new IOException("No space left on device"));
        }
        this.config = config;
    }

    @Override
    public String configLocation() {
        return "memory";
    }

    @Override
    public boolean isAvailable() {
        return !failing;
    }

    @Override
    public void close() {
    }
}
