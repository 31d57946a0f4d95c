package io.mirador.semantic;

import io.mirador.support.Sha256;
import io.mirador.catalog.MetricDocument;
import io.mirador.catalog.MetricText;
import io.mirador.index.TenantIndex;
import io.mirador.index.TenantIndexes;
import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Embeds the metrics whose text changed, after the syncs have committed them: each step (the {@code semantic-embed}
 * route) compares every tenant's committed documents (text hashes) with its vectors, embeds what is new or changed
 * in batches for at most a time budget, removes the vectors of metrics gone, and commits. It waits while a sync
 * runs, and a sync never waits for it; a restart or a full sync of unchanged metrics finds nothing to embed, as the
 * vectors and their text hashes are on disk. Searches use the vectors there are.
 */
public final class VectorIndexer {

    private static final Logger LOG = LoggerFactory.getLogger(VectorIndexer.class);
    private static final int BATCH = 32;

    private final Tenants tenants;
    private final TenantIndexes indexes;
    private final MetricVectors vectors;
    private final LoadingEmbedder model;
    private final Duration budget;
    private final Synonyms synonyms;
    private final byte[] vocabulary;
    private final BooleanSupplier syncing;
    private final SharedVectors shared;
    private record Counted(long version, int waiting) {
    }

    private final Map<String, Counted> waiting = new ConcurrentHashMap<>();
    /** The last failure of each tenant's step, so that a failure that repeats is logged once. */
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    /** The catalog index version each tenant's vectors were last brought up to, with nothing left waiting. */
    private final Map<String, Long> upTo = new ConcurrentHashMap<>();

    /**
     * @param budget  how long one step may embed before it gives the thread back (the rest waits for the next step)
     * @param syncing whether a sync runs: embedding waits until none does, so that it never slows a sync
     * @param shared  vectors other replicas made, taken instead of embedding the same texts again
     */
    public VectorIndexer(Tenants tenants, TenantIndexes indexes, MetricVectors vectors, LoadingEmbedder model,
                         Synonyms synonyms, Duration budget, BooleanSupplier syncing, SharedVectors shared) {
        this.shared = shared;
        this.synonyms = synonyms;
        // a vector stands for its text as this vocabulary expands it and this model embeds it: another of either
        // embeds every text again (vectors of two models are both 384 numbers, and would be compared all the same)
        this.vocabulary = model == null ? synonyms.fingerprint()
                : Sha256.of(synonyms.fingerprint(), model.choice().name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        this.syncing = syncing;
        this.tenants = tenants;
        this.indexes = indexes;
        this.vectors = vectors;
        this.model = model;
        this.budget = budget;
    }

    /** One step: brings each tenant's vectors towards its catalog, within the time budget. */
    public void catchUp() {
        Embedder embedder = model == null ? null : model.ready().orElse(null);
        if (embedder == null) {
            return;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        for (Tenant t : tenants.all()) {
            if (syncing.getAsBoolean() || System.nanoTime() >= deadline) {
                return;
            }
            try {
                catchUp(t.id(), embedder, deadline);
                failures.remove(t.id());
            } catch (RuntimeException e) {
                // a full disk, a catalog being rebuilt: said once, tried again next step
                if (!e.toString().equals(failures.put(t.id(), e.toString()))) {
                    LOG.warn("cannot embed the metrics of tenant {} (tried again every step): {}", t.id(), e.toString());
                }
            }
        }
    }

    /**
     * Metrics of the tenant whose text waits to be embedded, as the last step counted them; null while the tenant's
     * last commit has not been counted yet (the model still loads, or the step has not run since).
     */
    public Integer waiting(String tenantId) {
        if (model == null) {
            return null; // semantic search is off
        }
        Counted c = waiting.get(tenantId);
        return c == null || c.version() != indexes.of(tenantId).version() ? null : c.waiting();
    }

    /** The hash a vector is kept with: its metric's text hash, the vocabulary's and the model's, so that a new one re-embeds. */
    private byte[] withVocabulary(BytesRef textHash) {
        return Arrays.copyOf(Sha256.of(BytesRef.deepCopyOf(textHash).bytes, vocabulary), textHash.length);
    }

    private void catchUp(String tenantId, Embedder embedder, long deadline) {
        TenantIndex index = indexes.of(tenantId);
        long version = index.version();
        if (upTo.getOrDefault(tenantId, -1L) == version) {
            return;
        }
        TenantVectors tenantVectors = vectors.of(tenantId);
        Map<String, BytesRef> wanted = index.textHashes();
        Map<String, BytesRef> have = tenantVectors.hashes();
        List<String> gone = new ArrayList<>();
        for (String id : have.keySet()) {
            if (!wanted.containsKey(id)) {
                gone.add(id);
            }
        }
        List<String> todo = new ArrayList<>();
        wanted.forEach((id, hash) -> {
            if (hash.length == 0 || !new BytesRef(withVocabulary(hash)).equals(have.get(id))) {
                todo.add(id);
            }
        });
        tenantVectors.delete(gone);
        int done = 0;
        int made = 0;
        int taken = 0;
        long started = System.nanoTime();
        for (int at = 0; at < todo.size() && System.nanoTime() < deadline && !syncing.getAsBoolean(); at += BATCH) {
            List<String> ids = todo.subList(at, Math.min(todo.size(), at + BATCH));
            Map<String, String> hashById = new HashMap<>();
            Map<String, String> textByHash = new HashMap<>();
            for (MetricDocument d : index.committed(ids).values()) {
                String text = MetricText.of(d);
                String hash = HexFormat.of().formatHex(withVocabulary(new BytesRef(MetricText.hash(text))));
                hashById.put(d.id(), hash);
                textByHash.put(hash, synonyms.expand(text));
            }
            Map<String, float[]> fromOthers = shared.get(tenantId, textByHash.keySet());
            boolean embedding = shared.embedsHere();
            if (fromOthers.isEmpty() && !embedding && !textByHash.isEmpty()) {
                break; // the replica holding the sync lease has not shared these yet: look again next step
            }
            Map<String, float[]> vectorByHash = new HashMap<>(fromOthers);
            List<String> toEmbed = textByHash.keySet().stream().filter(h -> !vectorByHash.containsKey(h)).toList();
            if (!toEmbed.isEmpty() && embedding) {
                List<float[]> embedded = embedder.embedAll(toEmbed.stream().map(textByHash::get).toList());
                Map<String, float[]> fresh = new HashMap<>();
                for (int i = 0; i < toEmbed.size(); i++) {
                    fresh.put(toEmbed.get(i), embedded.get(i));
                    // kept as the other replicas read it from the shared bytes, so that all rank alike
                    vectorByHash.put(toEmbed.get(i), VectorBytes.roundTrip(embedded.get(i)));
                }
                shared.put(tenantId, fresh);
                made += fresh.size();
            }
            for (Map.Entry<String, String> e : hashById.entrySet()) {
                float[] vector = vectorByHash.get(e.getValue());
                // none: the replica holding the sync lease has not shared it yet; it waits for the next step
                if (vector != null) {
                    tenantVectors.put(e.getKey(), HexFormat.of().parseHex(e.getValue()), vector);
                    done++;
                    taken += fromOthers.containsKey(e.getValue()) ? 1 : 0;
                }
            }
            done += ids.size() - hashById.size(); // gone from the catalog since it was listed
        }
        if (done > 0 || !gone.isEmpty()) {
            tenantVectors.commit();
        }
        int left = todo.size() - done;
        if (left == 0) {
            tenantVectors.compact();
            if (shared.embedsHere() && (done > 0 || !gone.isEmpty())) {
                Set<String> current = new HashSet<>();
                tenantVectors.hashes().values().forEach(h -> current.add(HexFormat.of().formatHex(h.bytes, h.offset, h.length)));
                shared.retain(tenantId, current);
            }
            upTo.put(tenantId, version);
        }
        waiting.put(tenantId, new Counted(version, left));
        if (done > 0) {
            LOG.info("vectors of {} metrics of tenant {} in {} ms ({} texts embedded here, {} vectors taken from another"
                    + " replica); {} wait", done, tenantId, (System.nanoTime() - started) / 1_000_000, made, taken, left);
        }
    }
}
