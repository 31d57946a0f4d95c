package io.mirador.semantic;

import io.mirador.index.NearMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics nearest a query's meaning: the query embedded (recent queries' vectors are kept), then the tenant's
 * vector index asked for its nearest metrics, more than a page shows (approximate search misses some of the exact
 * top 10 when asked for 10, none seen when asked for 50), above a similarity floor.
 */
public final class SemanticNeighbors implements NearMetrics {

    private static final int QUERIES_KEPT = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(SemanticNeighbors.class);

    private final LoadingEmbedder model;
    private final Synonyms synonyms;
    private final MetricVectors vectors;
    private final int neighbors;
    private final float floor;
    private final Map<String, float[]> recent = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > QUERIES_KEPT;
        }
    });

    /**
     * @param neighbors how many nearest metrics to ask for
     * @param floor     the lowest cosine similarity that counts as near
     */
    public SemanticNeighbors(LoadingEmbedder model, Synonyms synonyms, MetricVectors vectors, int neighbors, float floor) {
        this.model = model;
        this.synonyms = synonyms;
        this.vectors = vectors;
        this.neighbors = neighbors;
        this.floor = floor;
    }

    @Override
    public List<String> alternatives(String word) {
        return synonyms.alternatives(word);
    }

    @Override
    public Map<String, Float> near(String tenantId, String text) {
        Embedder embedder = model.ready().orElse(null);
        if (embedder == null) {
            return Map.of();
        }
        TenantVectors tenant = vectors.of(tenantId);
        float[] query = recent.get(text);
        if (query == null) {
            try {
                query = embedder.embedQuery(synonyms.expand(text));
            } catch (RuntimeException e) {
                // a question the model cannot read is still searched by its words
                LOG.warn("a query could not be embedded, searched by its words only: {}", e.toString());
                return Map.of();
            }
            recent.put(text, query);
        }
        List<TenantVectors.Neighbor> nearest;
        try {
            nearest = tenant.nearest(query, neighbors, floor);
        } catch (RuntimeException e) {
            // a damaged or unreadable vector index costs the meaning, not the search: the failure must not reach the
            // catalog's searcher, which would take it for the catalog's own damage and rebuild it
            LOG.warn("the vectors of tenant {} cannot be read, searched by words only: {}", tenantId, e.toString());
            return Map.of();
        }
        Map<String, Float> out = new LinkedHashMap<>();
        for (TenantVectors.Neighbor n : nearest) {
            // 0 at the floor, 1 for the same meaning
            out.put(n.id(), (n.similarity() - floor) / (1 - floor));
        }
        return out;
    }
}
