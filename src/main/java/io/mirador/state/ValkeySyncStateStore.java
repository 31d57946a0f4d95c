package io.mirador.state;

import io.mirador.config.ConfigOverrides;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.support.GoDuration;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sync state, last status and the run-time sync config in Valkey or Redis (through Redisson), each a
 * versioned JSON string: {@code <prefix>tenant:<id>:sync-record} and {@code <prefix>sync-config}.
 *
 * <p>Valkey being down must not stop the catalog, nor may an old or empty Valkey undo what happened
 * meanwhile. Every write goes first to the state file in the data directory, then to Valkey. Between the
 * two copies the higher version wins, in both directions: at start the newer of each record is taken
 * (and written to the other copy); afterwards, every {@link #RECONCILE_EVERY}, every record Valkey lacks
 * or holds in an older version is written again, so a Valkey restarted empty or from an old save is
 * refilled within a second. Valkey itself refuses to replace a record with an older version (a script
 * compares them), so two writers never step back. {@link #isAvailable()} is false while Valkey does not answer.
 */
public final class ValkeySyncStateStore implements SyncStateStore {

    private static final Logger LOG = LoggerFactory.getLogger(ValkeySyncStateStore.class);
    static final Duration RECONCILE_EVERY = Duration.ofSeconds(1);

    /** SET key value unless the key holds a record whose version is the same or higher; 1 when written. */
    private static final String SET_IF_NEWER = """
            local current = redis.call('GET', KEYS[1])
            if current then
              local ok, stored = pcall(cjson.decode, current)
              if ok and type(stored) == 'table' and tonumber(stored['version']) and tonumber(stored['version']) >= tonumber(ARGV[2]) then
                return 0
              end
            end
            redis.call('SET', KEYS[1], ARGV[1])
            return 1""";

    private final FileSyncStateStore local;
    private final ObjectMapper json;
    private final String prefix;
    private final List<String> tenantIds;
    private final RedissonClient redis;
    private final ScheduledExecutorService reconciler;
    private volatile boolean available;
    private final List<BiConsumer<String, TenantSyncRecord>> recordListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ConfigOverrides>> configListeners = new CopyOnWriteArrayList<>();

    /**
     * @throws IllegalArgumentException naming the key, when Valkey holds a record that is not valid
     */
    public ValkeySyncStateStore(RedissonClient redis, String prefix, Collection<String> tenantIds, Path dataDir,
                                ObjectMapper json) {
        this.json = json;
        this.prefix = prefix;
        this.tenantIds = List.copyOf(tenantIds);
        this.local = new FileSyncStateStore(dataDir, json);
        this.redis = redis;
        takeNewerFromValkey();
        this.reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "valkey-state-reconcile");
            t.setDaemon(true);
            return t;
        });
        reconciler.scheduleWithFixedDelay(this::reconcile, 0, RECONCILE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** At start: every record Valkey holds in a newer version than the file replaces the file's. */
    private void takeNewerFromValkey() {
        Map<String, String> stored;
        try {
            stored = redis.getBuckets(StringCodec.INSTANCE).get(allKeys().toArray(String[]::new));
            available = true;
        } catch (RuntimeException e) {
            available = false;
            LOG.warn("Valkey does not answer ({}); starting from the state file in the data directory, which is"
                    + " written to Valkey when it is back", e.getMessage());
            return;
        }
        Map<String, TenantSyncRecord> mine = local.loadAll();
        for (String id : tenantIds) {
            TenantSyncRecord theirs = record(id, stored);
            if (theirs != null && theirs.isNewerThan(mine.get(id))) {
                local.save(id, theirs);
            }
        }
        String config = stored.get(configKey());
        if (config != null) {
            ConfigOverrides theirs = parseConfig(config);
            if (theirs.isNewerThan(local.loadConfig())) {
                local.saveConfig(theirs);
            }
        }
        LOG.info("sync state read from Valkey ({}*), newer record of each copy kept", prefix);
    }

    private TenantSyncRecord record(String id, Map<String, String> stored) {
        String text = stored.get(recordKey(id));
        try {
            if (text != null) {
                TenantSyncRecord r = json.readValue(text, TenantSyncRecord.class);
                List<String> problems = r.problems(id);
                if (!problems.isEmpty()) {
                    throw new IOException(String.join("; ", problems));
                }
                return r;
            }
            // written before records had versions: two keys, taken as version 0
            String state = stored.get(legacyKey(id, "sync-state"));
            String status = stored.get(legacyKey(id, "sync-status"));
            if (state != null && status != null) {
                return new TenantSyncRecord(0, null, json.readValue(state, SyncState.class), json.readValue(status, SyncStatus.class));
            }
            return null;
        } catch (IOException e) {
            throw new IllegalArgumentException("the sync record of tenant '" + id + "' in Valkey (" + recordKey(id)
                    + ") is not valid: " + e.getMessage() + "; fix or delete the key", e);
        }
    }

    /** The config Valkey holds, checked as a PUT's would be before it may replace the file's. */
    private ConfigOverrides parseConfig(String text) {
        try {
            ConfigOverrides config = ConfigOverrides.fromJson(json.readTree(text));
            config.read();
            return config;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the sync config stored in Valkey key " + configKey() + " is not valid: "
                    + e.getMessage() + "; fix or delete the key", e);
        }
    }

    @Override
    public Map<String, TenantSyncRecord> loadAll() {
        return local.loadAll();
    }

    @Override
    public void save(String tenantId, TenantSyncRecord record) {
        local.save(tenantId, record);
        push(recordKey(tenantId), record, record.version());
    }

    @Override
    public ConfigOverrides loadConfig() {
        return local.loadConfig();
    }

    @Override
    public void saveConfig(ConfigOverrides config) {
        local.saveConfig(config);
        push(configKey(), config, config.version());
    }

    @Override
    public String configLocation() {
        return "Valkey key " + configKey() + " (and " + local.configLocation() + ")";
    }

    @Override
    public boolean isAvailable() {
        return available;
    }

    /** Writes one record unless Valkey has it in this version or newer; true when Valkey answered. */
    private boolean push(String key, Object record, long version) {
        try {
            Long written = redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, SET_IF_NEWER,
                    RScript.ReturnType.INTEGER, List.of(key), json.writeValueAsString(record), Long.toString(version));
            markAvailable(true, null);
            return written != null && written == 1;
        } catch (IOException e) {
            throw new StateStoreException("cannot write " + key + " as JSON", e);
        } catch (RuntimeException e) {
            markAvailable(false, e);
            return false;
        }
    }

    @Override
    public void refresh() {
        reconcile();
    }

    @Override
    public void onNewerRecord(BiConsumer<String, TenantSyncRecord> listener) {
        recordListeners.add(listener);
    }

    @Override
    public void onNewerConfig(Consumer<ConfigOverrides> listener) {
        configListeners.add(listener);
    }

    /**
     * Both ways between the file and Valkey: a record or config another replica saved in a newer version is taken
     * (and told to the listeners); one Valkey lacks or holds in an older version is written again.
     */
    private synchronized void reconcile() {
        try {
            Map<String, String> stored = redis.getBuckets(StringCodec.INSTANCE).get(allKeys().toArray(String[]::new));
            markAvailable(true, null);
            int written = 0;
            Map<String, TenantSyncRecord> mine = local.loadAll();
            for (String id : tenantIds) {
                TenantSyncRecord theirs = readQuietly(id, stored);
                TenantSyncRecord own = mine.get(id);
                if (theirs != null && theirs.isNewerThan(own)) {
                    local.save(id, theirs);
                    recordListeners.forEach(l -> l.accept(id, theirs));
                } else if (own != null && isBehind(stored.get(recordKey(id)), own.version())
                        && push(recordKey(id), own, own.version())) {
                    written++;
                }
            }
            ConfigOverrides config = local.loadConfig();
            ConfigOverrides theirs = readConfigQuietly(stored.get(configKey()));
            if (theirs != null && theirs.isNewerThan(config)) {
                local.saveConfig(theirs);
                configListeners.forEach(l -> l.accept(theirs));
            } else if (config.version() > 0 && isBehind(stored.get(configKey()), config.version())
                    && push(configKey(), config, config.version())) {
                written++;
            }
            if (written > 0) {
                LOG.info("Valkey lacked {} sync record(s) or held older versions: written from the state file", written);
            }
        } catch (RuntimeException e) {
            markAvailable(false, e);
        }
    }

    /** A record another replica wrote, or null when there is none or it is not valid (logged; the file's stands). */
    private TenantSyncRecord readQuietly(String id, Map<String, String> stored) {
        try {
            return record(id, stored);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}", e.getMessage());
            return null;
        }
    }

    private ConfigOverrides readConfigQuietly(String text) {
        try {
            return text == null ? null : parseConfig(text);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}", e.getMessage());
            return null;
        }
    }

    private boolean isBehind(String stored, long version) {
        if (stored == null) {
            return true;
        }
        try {
            return json.readTree(stored).path("version").asLong(-1) < version;
        } catch (IOException e) {
            return true;
        }
    }

    private void markAvailable(boolean now, RuntimeException failure) {
        if (available && !now) {
            LOG.warn("Valkey does not take the sync state ({}); the state file keeps it, written to Valkey when it is"
                    + " back (checked every {})", failure == null ? "" : failure.getMessage(), GoDuration.format(RECONCILE_EVERY));
        } else if (!available && now) {
            LOG.info("Valkey answers again");
        }
        available = now;
    }

    private List<String> allKeys() {
        List<String> keys = new ArrayList<>();
        for (String id : tenantIds) {
            keys.add(recordKey(id));
            keys.add(legacyKey(id, "sync-state"));
            keys.add(legacyKey(id, "sync-status"));
        }
        keys.add(configKey());
        return keys;
    }

    private String recordKey(String tenantId) {
        return prefix + "tenant:" + tenantId + ":sync-record";
    }

    private String legacyKey(String tenantId, String what) {
        return prefix + "tenant:" + tenantId + ":" + what;
    }

    private String configKey() {
        return prefix + "sync-config";
    }

    /** Stops reconciling after a last write of what Valkey lacks; the connection is its owner's to close. */
    @Override
    public void close() {
        reconciler.shutdownNow();
        reconcile();
    }
}
