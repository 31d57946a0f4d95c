package io.mirador.replica;

import io.mirador.semantic.SharedVectors;
import io.mirador.semantic.VectorBytes;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Metric vectors shared in Valkey, one hash per tenant ({@code <prefix>{catalog:<tenant>}:vectors}): field the hash of
 * the text a vector was made from, value the vector as {@link VectorBytes} writes it (388 bytes for 384 dimensions). The replica holding the sync
 * lease embeds and shares; the others read. Valkey unreachable, every replica embeds for itself.
 */
public final class ValkeyVectors implements SharedVectors {

    private static final Logger LOG = LoggerFactory.getLogger(ValkeyVectors.class);

    private final RedissonClient redis;
    private final String prefix;
    private final BooleanSupplier holdsSyncs;
    private volatile boolean reachable = true;

    public ValkeyVectors(RedissonClient redis, String prefix, BooleanSupplier holdsSyncs) {
        this.redis = redis;
        this.prefix = prefix;
        this.holdsSyncs = holdsSyncs;
    }

    @Override
    public Map<String, float[]> get(String tenantId, Collection<String> hashes) {
        Map<String, float[]> out = new HashMap<>();
        if (hashes.isEmpty()) {
            return out;
        }
        Set<byte[]> keys = new LinkedHashSet<>();
        hashes.forEach(h -> keys.add(h.getBytes(StandardCharsets.US_ASCII)));
        try {
            map(tenantId).getAll(keys).forEach((k, v) -> out.put(new String(k, StandardCharsets.US_ASCII), VectorBytes.decode(v)));
            reachable(true);
        } catch (RuntimeException e) {
            reachable(false);
            LOG.debug("shared vectors unreadable: {}", e.toString());
        }
        return out;
    }

    @Override
    public void put(String tenantId, Map<String, float[]> vectors) {
        if (vectors.isEmpty()) {
            return;
        }
        Map<byte[], byte[]> entries = new HashMap<>();
        vectors.forEach((h, v) -> entries.put(h.getBytes(StandardCharsets.US_ASCII), VectorBytes.encode(v)));
        try {
            map(tenantId).putAll(entries);
            reachable(true);
        } catch (RuntimeException e) {
            reachable(false);
            LOG.debug("shared vectors unwritable: {}", e.toString());
        }
    }

    @Override
    public void retain(String tenantId, Set<String> hashes) {
        try {
            RMap<byte[], byte[]> map = map(tenantId);
            List<byte[]> stale = new ArrayList<>();
            for (byte[] field : map.keySet(1_000)) {
                if (!hashes.contains(new String(field, StandardCharsets.US_ASCII))) {
                    stale.add(field);
                }
            }
            for (int at = 0; at < stale.size(); at += 1_000) {
                map.fastRemove(stale.subList(at, Math.min(stale.size(), at + 1_000)).toArray(new byte[0][]));
            }
            if (!stale.isEmpty()) {
                LOG.info("dropped {} shared vectors of tenant {} that no metric's text has any more", stale.size(), tenantId);
            }
        } catch (RuntimeException e) {
            LOG.debug("shared vectors not pruned: {}", e.toString());
        }
    }

    @Override
    public boolean embedsHere() {
        return holdsSyncs.getAsBoolean() || !reachable;
    }

    private void reachable(boolean now) {
        if (reachable != now) {
            LOG.warn(now ? "Valkey is back: replicas share their metric vectors again"
                    : "Valkey is unreachable: this replica embeds its metrics itself until it is back");
        }
        reachable = now;
    }

    private RMap<byte[], byte[]> map(String tenantId) {
        return redis.getMap(prefix + "{catalog:" + tenantId + "}:vectors", ByteArrayCodec.INSTANCE);
    }

}
