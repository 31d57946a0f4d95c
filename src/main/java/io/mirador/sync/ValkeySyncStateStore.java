package io.mirador.sync;

import io.mirador.support.GoDuration;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sync state, last status and the run-time sync config in Valkey or Redis (through Redisson), under
 * {@code <prefix>tenant:<id>:sync-state}, {@code <prefix>tenant:<id>:sync-status} and
 * {@code <prefix>sync-config}, each a JSON string.
 *
 * <p>Valkey being down must not stop the catalog: every write goes first to the embedded file store in
 * the data directory, then to Valkey; writes Valkey could not take are kept and written again every
 * {@link #RETRY_EVERY} until it takes them (the latest write of a key wins). At start the state comes
 * from Valkey when it answers, else from the file. {@link #isAvailable()} is false while writes wait.
 */
public final class ValkeySyncStateStore implements SyncStateStore {

    private static final Logger LOG = LoggerFactory.getLogger(ValkeySyncStateStore.class);
    static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    private final FileSyncStateStore local;
    private final ObjectMapper json;
    private final String prefix;
    private final RedissonClient redis;
    private final Map<String, String> pending = new LinkedHashMap<>();
    private final ScheduledExecutorService retries;
    private volatile boolean available;

    public ValkeySyncStateStore(String url, String password, String prefix, Collection<String> tenantIds, Path dataDir,
                                ObjectMapper json) {
        this.json = json;
        this.prefix = prefix;
        this.local = new FileSyncStateStore(dataDir, json);
        Config config = new Config().setLazyInitialization(true);
        config.useSingleServer().setAddress(url).setPassword(password == null || password.isEmpty() ? null : password)
                .setConnectTimeout(1000).setTimeout(1000).setRetryAttempts(0).setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(2).setSubscriptionConnectionMinimumIdleSize(0);
        this.redis = Redisson.create(config);
        loadFromValkey(tenantIds);
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "valkey-state-retry");
            t.setDaemon(true);
            return t;
        });
        retries.scheduleWithFixedDelay(this::flush, RETRY_EVERY.toMillis(), RETRY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes what Valkey holds over the file's copy; keeps the file's copy when Valkey does not answer. */
    private void loadFromValkey(Collection<String> tenantIds) {
        try {
            for (String id : tenantIds) {
                String state = bucket(stateKey(id)).get();
                String status = bucket(statusKey(id)).get();
                if (state != null && status != null) {
                    local.save(id, new TenantSyncRecord(json.readValue(state, SyncState.class),
                            json.readValue(status, SyncStatus.class)));
                }
            }
            String config = bucket(configKey()).get();
            if (config != null) {
                local.saveConfig(json.readValue(config, SyncConfig.class));
            }
            available = true;
            LOG.info("sync state read from Valkey ({}*)", prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("the sync state in Valkey (" + prefix + "*) cannot be read", e);
        } catch (RuntimeException e) {
            available = false;
            LOG.warn("Valkey does not answer ({}); starting from the state file in the data directory, writes will"
                    + " reach Valkey when it is back", e.getMessage());
        }
    }

    @Override
    public Map<String, TenantSyncRecord> loadAll() {
        return local.loadAll();
    }

    @Override
    public void save(String tenantId, TenantSyncRecord record) {
        local.save(tenantId, record);
        write(Map.of(stateKey(tenantId), record.state(), statusKey(tenantId), record.status()));
    }

    @Override
    public Optional<SyncConfig> loadConfig() {
        return local.loadConfig();
    }

    @Override
    public void saveConfig(SyncConfig config) {
        local.saveConfig(config);
        write(Map.of(configKey(), config));
    }

    @Override
    public boolean isAvailable() {
        return available;
    }

    private void write(Map<String, Object> values) {
        synchronized (pending) {
            values.forEach((k, v) -> {
                try {
                    pending.put(k, json.writeValueAsString(v));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        if (available) {
            flush();
        }
    }

    /** Writes what waits; on failure keeps it for the next retry. */
    private void flush() {
        synchronized (pending) {
            if (pending.isEmpty()) {
                if (!available) {
                    available = ping();
                }
                return;
            }
            try {
                for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    bucket(e.getKey()).set(e.getValue());
                    it.remove();
                }
                if (!available) {
                    LOG.info("Valkey is back: sync state written");
                }
                available = true;
            } catch (RuntimeException e) {
                if (available) {
                    LOG.warn("Valkey does not take the sync state ({}); keeping it, retrying every {}", e.getMessage(),
                            GoDuration.format(RETRY_EVERY));
                }
                available = false;
            }
        }
    }

    private boolean ping() {
        try {
            bucket(configKey()).isExists();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private RBucket<String> bucket(String key) {
        return redis.getBucket(key, StringCodec.INSTANCE);
    }

    private String stateKey(String tenantId) {
        return prefix + "tenant:" + tenantId + ":sync-state";
    }

    private String statusKey(String tenantId) {
        return prefix + "tenant:" + tenantId + ":sync-status";
    }

    private String configKey() {
        return prefix + "sync-config";
    }

    @Override
    public void close() {
        retries.shutdownNow();
        flush();
        redis.shutdown();
    }
}
