package io.mirador.replica;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.catalog.MetricDocument;
import io.mirador.index.IndexCorruptedException;
import io.mirador.index.MetricDocumentCodec;
import io.mirador.index.TenantIndex;
import io.mirador.index.TenantIndexes;
import io.mirador.sync.CatalogPublication;
import io.mirador.sync.SyncRun;
import io.mirador.sync.SyncUnavailableException;
import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;
import org.redisson.api.RMap;
import org.redisson.api.RScript;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The catalog of every tenant kept in Valkey as the documents of record, shared by replicas; each replica's Lucene
 * index is a copy it brings up to date. See docs/replicas.md for the keys.
 *
 * <p>Per tenant (keys share a hash tag, so the layout works on a Valkey cluster too):
 * <ul>
 * <li>{@code <prefix>{catalog:<tenant>}:meta}: {@code generation} (the newest), {@code snapshot} (the generation
 *     {@code docs} holds; -1 while a replica refills it), who published it and when;</li>
 * <li>{@code ...:docs}: metric id to document JSON, as of {@code snapshot};</li>
 * <li>{@code ...:delta:<g>}: what generation g changed: id to the new JSON, or to "" for a removed metric; the last
 *     {@code deltasKept} are kept past the snapshot, so a replica a few generations behind reads only those;</li>
 * <li>{@code ...:staging:<sync id>}: a running sync's changes, renamed to the next delta when it commits, dropped
 *     (or expired) when it does not.</li>
 * </ul>
 * A sync publishes only if the catalog is still at the generation it started from (a compare and set in Valkey),
 * so two replicas can never both make generation g+1. A new generation is announced on the channel
 * {@code <prefix>catalog}; replicas also look every second, so a lost announcement costs at most that.
 *
 * <p>A replica whose index is newer than the catalog (Valkey restarted empty or from an old save) writes its own
 * copy back as the catalog; any replica ahead does, and the first to do so wins.
 */
public final class SharedCatalog implements CatalogPublication, CatalogFollower, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedCatalog.class);
    private static final int CHUNK = 1000;
    private static final Duration STAGING_TTL = Duration.ofHours(6);
    /** The mark of documents written by a replica's update, not by a sync (a full sync removes what it did not see). */
    private static final String UPDATE_MARK = "catalog-update";

    /** KEYS: meta, staging, next delta. ARGV: base generation, replica, time, channel, tenant. {status, generation}. */
    private static final String PUBLISH = """
            local g = tonumber(redis.call('HGET', KEYS[1], 'generation') or '0')
            if g ~= tonumber(ARGV[1]) then return {0, g} end
            if redis.call('EXISTS', KEYS[2]) == 0 then return {2, g} end
            redis.call('RENAME', KEYS[2], KEYS[3])
            redis.call('PERSIST', KEYS[3])
            redis.call('HSET', KEYS[1], 'generation', g + 1, 'published_by', ARGV[2], 'published_at', ARGV[3])
            if not redis.call('HGET', KEYS[1], 'snapshot') then redis.call('HSET', KEYS[1], 'snapshot', 0) end
            redis.call('PUBLISH', ARGV[4], ARGV[5] .. ' ' .. (g + 1))
            return {1, g + 1}""";

    /**
     * KEYS: a delta, docs. ARGV: cursor, count. Folds one HSCAN page of the delta into docs inside Valkey (no document
     * crosses the network); answers the next cursor, "0" at the end.
     */
    private static final String FOLD = """
            local page = redis.call('HSCAN', KEYS[1], ARGV[1], 'COUNT', ARGV[2])
            local entries = page[2]
            for i = 1, #entries, 2 do
              if entries[i + 1] == '' then
                redis.call('HDEL', KEYS[2], entries[i])
              else
                redis.call('HSET', KEYS[2], entries[i], entries[i + 1])
              end
            end
            return page[1]""";

    /** KEYS: meta, docs. ARGV: expected generation, new generation, replica, time. 1 when this replica refills. */
    private static final String BEGIN_REFILL = """
            local g = tonumber(redis.call('HGET', KEYS[1], 'generation') or '0')
            if g ~= tonumber(ARGV[1]) then return 0 end
            redis.call('DEL', KEYS[2])
            redis.call('HSET', KEYS[1], 'generation', ARGV[2], 'snapshot', -1, 'published_by', ARGV[3], 'published_at', ARGV[4])
            return 1""";

    /** KEYS: meta. ARGV: generation, channel, tenant. Ends a refill: docs hold that generation. */
    private static final String END_REFILL = """
            if tonumber(redis.call('HGET', KEYS[1], 'generation') or '0') ~= tonumber(ARGV[1]) then return 0 end
            redis.call('HSET', KEYS[1], 'snapshot', ARGV[1])
            redis.call('PUBLISH', ARGV[2], ARGV[3] .. ' ' .. ARGV[1])
            return 1""";

    private final RedissonClient redis;
    private final String prefix;
    private final Tenants tenants;
    private final TenantIndexes indexes;
    private final MetricDocumentCodec codec;
    private final ObjectMapper json;
    private final String replicaId;
    private final int deltasKept;
    private final Clock clock;
    private final Map<String, Generations> seen = new ConcurrentHashMap<>();
    private final ExecutorService announced;
    private final AtomicBoolean announcementQueued = new AtomicBoolean();
    private volatile int listener = -1;
    private volatile boolean reachable = true;

    public SharedCatalog(RedissonClient redis, String prefix, Tenants tenants, TenantIndexes indexes,
                         MetricDocumentCodec codec, ObjectMapper json, String replicaId, int deltasKept, Clock clock) {
        this.redis = redis;
        this.prefix = prefix;
        this.tenants = tenants;
        this.indexes = indexes;
        this.codec = codec;
        this.json = json;
        this.replicaId = replicaId;
        this.deltasKept = deltasKept;
        this.clock = clock;
        for (Tenant t : tenants.all()) {
            long g = indexes.of(t.id()).generation();
            seen.put(t.id(), new Generations(g, g, null));
        }
        this.announced = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "catalog-announced");
            t.setDaemon(true);
            return t;
        });
        subscribe();
    }

    /**
     * Listens to the announcements of new generations (Redisson subscribes again by itself after a reconnect); a
     * Valkey down at start is subscribed to by the first update that reaches it.
     */
    private void subscribe() {
        if (listener >= 0) {
            return;
        }
        try {
            listener = channel().addListener(String.class, (channel, message) -> {
                // one update at a time; announcements while one runs are served by the next
                if (announcementQueued.compareAndSet(false, true)) {
                    announced.execute(() -> {
                        announcementQueued.set(false);
                        followAll();
                    });
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("cannot subscribe to catalog announcements yet ({})", ValkeyFailures.describe(e));
        }
    }

    private RTopic channel() {
        return redis.getTopic(prefix + "catalog", StringCodec.INSTANCE);
    }

    // ---- keys

    private String key(String tenantId, String what) {
        return prefix + "{catalog:" + tenantId + "}:" + what;
    }

    private RMap<String, String> map(String key) {
        return redis.getMap(key, StringCodec.INSTANCE);
    }

    private RMap<String, String> meta(String tenantId) {
        return map(key(tenantId, "meta"));
    }

    private RMap<String, String> delta(String tenantId, long generation) {
        return map(key(tenantId, "delta:" + generation));
    }

    private RMap<String, String> staging(SyncRun run) {
        return map(key(run.tenant().id(), "staging:" + run.id()));
    }

    // ---- publication: the holder of the syncs

    @Override
    public long prepare(SyncRun run) {
        try {
            return catchUp(run.tenant().id(), indexes.of(run.tenant().id()));
        } catch (RuntimeException e) {
            throw new SyncUnavailableException("the shared catalog of tenant " + run.tenant().id()
                    + " cannot be read from Valkey (" + ValkeyFailures.describe(e) + "); the sync waits until it can", e);
        }
    }

    @Override
    public void stage(SyncRun run, List<MetricDocument> changed) {
        Map<String, String> values = new LinkedHashMap<>();
        for (MetricDocument doc : changed) {
            try {
                values.put(doc.id(), json.writeValueAsString(doc));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write metric " + doc.id() + " as JSON", e);
            }
        }
        put(staging(run), values);
    }

    @Override
    public void stageRemovals(SyncRun run, Collection<String> ids) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String id : ids) {
            values.put(id, "");
        }
        put(staging(run), values);
    }

    private static void put(RMap<String, String> map, Map<String, String> values) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(values.entrySet());
        for (int i = 0; i < entries.size(); i += CHUNK) {
            Map<String, String> chunk = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : entries.subList(i, Math.min(entries.size(), i + CHUNK))) {
                chunk.put(e.getKey(), e.getValue());
            }
            map.putAll(chunk);
        }
        map.expire(STAGING_TTL);
    }

    @Override
    public long publish(SyncRun run) {
        String tenant = run.tenant().id();
        long base = run.baseGeneration();
        List<Object> result = redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, PUBLISH,
                RScript.ReturnType.MULTI, List.of(key(tenant, "meta"), staging(run).getName(), delta(tenant, base + 1).getName()),
                Long.toString(base), replicaId, clock.instant().toString(), prefix + "catalog", tenant);
        long status = ((Number) result.get(0)).longValue();
        long generation = ((Number) result.get(1)).longValue();
        if (status == 0) {
            throw new IllegalStateException("the shared catalog of tenant " + tenant + " moved from generation " + base
                    + " to " + generation + " while this sync ran (another replica published); nothing of this sync was"
                    + " published, the next sync starts from the new generation");
        }
        seen.put(tenant, new Generations(generation, generation, null));
        if (status == 1) {
            LOG.info("tenant {}: catalog generation {} published", tenant, generation);
        }
        return generation;
    }

    @Override
    public void published(SyncRun run, long generation) {
        try {
            compact(run.tenant().id(), generation);
        } catch (RuntimeException e) {
            LOG.warn("tenant {}: folding generation {} into the catalog's documents failed ({}); the next publication"
                    + " does it", run.tenant().id(), generation, ValkeyFailures.describe(e));
        }
    }

    @Override
    public void discard(SyncRun run) {
        try {
            staging(run).delete();
        } catch (RuntimeException e) {
            LOG.debug("tenant {}: the staged changes of sync {} stay until they expire: {}", run.tenant().id(), run.id(),
                    e.getMessage());
        }
    }

    /**
     * Folds the deltas after the snapshot, up to {@code generation}, into the documents, and drops the deltas older
     * than the last {@code deltasKept}.
     */
    private void compact(String tenant, long generation) {
        RMap<String, String> meta = meta(tenant);
        long snapshot = number(meta.get("snapshot"));
        for (long g = snapshot + 1; g <= generation && snapshot >= 0; g++) {
            String cursor = "0";
            do {
                cursor = redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, FOLD, RScript.ReturnType.VALUE,
                        List.of(delta(tenant, g).getName(), key(tenant, "docs")), cursor, Integer.toString(CHUNK));
            } while (!"0".equals(cursor));
            meta.fastPut("snapshot", Long.toString(g));
            if (g - deltasKept > 0) {
                delta(tenant, g - deltasKept).delete();
            }
        }
    }

    // ---- following: every replica

    @Override
    public synchronized void followAll() {
        subscribe();
        for (Tenant t : tenants.all()) {
            TenantIndex index = indexes.of(t.id());
            if (!index.claimWriter(Duration.ZERO)) {
                continue;
            }
            try {
                catchUp(t.id(), index);
                markReachable(true, null);
            } catch (RuntimeException e) {
                markReachable(false, e);
                Generations g = seen.get(t.id());
                if (g.behindSince() == null && g.catalog() > g.serving()) {
                    seen.put(t.id(), new Generations(g.serving(), g.catalog(), clock.instant()));
                }
            } finally {
                index.releaseWriter();
            }
        }
    }

    private void markReachable(boolean now, RuntimeException failure) {
        if (reachable && !now) {
            LOG.warn("the shared catalog cannot be read from Valkey ({}); this replica serves its last generation until"
                    + " it can", ValkeyFailures.describe(failure));
        } else if (!reachable && now) {
            LOG.info("the shared catalog can be read from Valkey again");
        }
        reachable = now;
    }

    @Override
    public Generations generations(String tenantId) {
        return seen.get(tenants.get(tenantId).id());
    }

    /**
     * Brings one tenant's index to the catalog's generation; the caller holds the index's writer. Answers the
     * generation the index serves afterwards.
     */
    private long catchUp(String tenant, TenantIndex index) {
        Map<String, String> meta = meta(tenant).readAllMap();
        long catalog = number(meta.get("generation"));
        long snapshot = meta.containsKey("snapshot") ? number(meta.get("snapshot")) : 0;
        long mine = index.generation();
        if (catalog == mine) {
            seen.put(tenant, new Generations(mine, catalog, null));
            return mine;
        }
        if (catalog < mine) {
            refill(tenant, index, catalog, mine);
            return mine;
        }
        Generations before = seen.get(tenant);
        seen.put(tenant, new Generations(mine, catalog, before.behindSince() != null ? before.behindSince() : clock.instant()));
        if (snapshot < 0) {
            return mine; // a replica is refilling the catalog: read it when it has finished
        }
        long started = System.nanoTime();
        boolean full = mine == 0 || !deltasExist(tenant, mine + 1, catalog);
        try {
            if (full) {
                index.deleteAll();
                int n = 0;
                List<Map.Entry<String, String>> chunk = new ArrayList<>(CHUNK);
                for (Map.Entry<String, String> e : map(key(tenant, "docs")).entrySet(CHUNK)) {
                    chunk.add(e);
                    if (chunk.size() == CHUNK) {
                        n += write(tenant, index, chunk, false);
                    }
                }
                n += write(tenant, index, chunk, false);
                LOG.debug("tenant {}: {} documents of generation {} read", tenant, n, snapshot);
                applyDeltas(tenant, index, snapshot + 1, catalog);
            } else {
                applyDeltas(tenant, index, mine + 1, catalog);
            }
            index.commit(catalog);
        } catch (RuntimeException e) {
            index.rollback();
            throw e;
        }
        seen.put(tenant, new Generations(catalog, catalog, null));
        LOG.info("tenant {}: serving catalog generation {} (was {}; {} in {} ms)", tenant, catalog, mine,
                full ? "whole catalog read" : "changes read", (System.nanoTime() - started) / 1_000_000);
        return catalog;
    }

    private boolean deltasExist(String tenant, long from, long to) {
        for (long g = from; g <= to; g++) {
            if (!delta(tenant, g).isExists()) {
                return false;
            }
        }
        return true;
    }

    private void applyDeltas(String tenant, TenantIndex index, long from, long to) {
        for (long g = from; g <= to; g++) {
            RMap<String, String> delta = delta(tenant, g);
            if (!delta.isExists()) {
                throw new IllegalStateException("generation " + g + " of tenant " + tenant + " is no longer in Valkey;"
                        + " the whole catalog is read next time");
            }
            List<Map.Entry<String, String>> chunk = new ArrayList<>(CHUNK);
            for (Map.Entry<String, String> e : delta.entrySet(CHUNK)) {
                chunk.add(e);
                if (chunk.size() == CHUNK) {
                    write(tenant, index, chunk, true);
                }
            }
            write(tenant, index, chunk, true);
        }
    }

    /**
     * Writes (or, for "", removes) a chunk of documents read from Valkey, on two threads (decoding and analysing are
     * most of the work); one that is not a document's JSON is skipped.
     *
     * @param replacing false when the index was just emptied: documents are added without looking for old ones
     */
    private int write(String tenant, TenantIndex index, List<Map.Entry<String, String>> chunk, boolean replacing) {
        AtomicInteger n = new AtomicInteger();
        chunk.parallelStream().forEach(e -> {
            if (e.getValue().isEmpty()) {
                index.delete(e.getKey());
                return;
            }
            byte[] source = e.getValue().getBytes(StandardCharsets.UTF_8);
            try {
                index.writeStored(codec.decode(source), source, UPDATE_MARK, replacing);
                n.incrementAndGet();
            } catch (IndexCorruptedException bad) {
                LOG.error("tenant {}: metric {} in Valkey is not a document ({}); skipped", tenant, e.getKey(), bad.getMessage());
            }
        });
        chunk.clear();
        return n.get();
    }

    /**
     * Valkey's catalog is older than this replica's (it came back empty or from an old save): writes this replica's
     * documents back as the catalog, at this replica's generation, unless another replica began to first.
     */
    private void refill(String tenant, TenantIndex index, long catalog, long mine) {
        Long began = redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, BEGIN_REFILL,
                RScript.ReturnType.INTEGER, List.of(key(tenant, "meta"), key(tenant, "docs")),
                Long.toString(catalog), Long.toString(mine), replicaId, clock.instant().toString());
        if (began == null || began != 1) {
            return;
        }
        LOG.warn("tenant {}: Valkey holds catalog generation {}, older than this replica's {}: writing this replica's"
                + " documents back as the catalog", tenant, catalog, mine);
        RMap<String, String> docs = map(key(tenant, "docs"));
        int[] n = {0};
        index.forEachStored(CHUNK, sources -> {
            Map<String, String> values = new HashMap<>();
            for (String source : sources) {
                values.put(codec.decode(source.getBytes(StandardCharsets.UTF_8)).id(), source);
            }
            docs.putAll(values);
            n[0] += values.size();
        });
        redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, END_REFILL, RScript.ReturnType.INTEGER,
                List.of(key(tenant, "meta")), Long.toString(mine), prefix + "catalog", tenant);
        seen.put(tenant, new Generations(mine, mine, null));
        LOG.info("tenant {}: catalog refilled from this replica: {} documents, generation {}", tenant, n[0], mine);
    }

    private static long number(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        announced.shutdownNow();
        if (listener >= 0) {
            try {
                channel().removeListener(listener);
            } catch (RuntimeException e) {
                LOG.debug("cannot unsubscribe from catalog announcements: {}", e.getMessage());
            }
        }
    }
}
