package io.mirador.semantic;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Vectors shared between replicas, by the hash they were made from: with replicas on Valkey, the replica holding the
 * sync lease embeds each tenant's new metrics and shares their vectors, and the others take them instead of embedding
 * the same texts again. Alone, nothing is shared and this replica embeds.
 */
public interface SharedVectors {

    /** Alone: nothing shared, everything embedded here. */
    SharedVectors NONE = new SharedVectors() {
        @Override
        public Map<String, float[]> get(String tenantId, Collection<String> hashes) {
            return Map.of();
        }

        @Override
        public void put(String tenantId, Map<String, float[]> vectors) {
        }

        @Override
        public boolean embedsHere() {
            return true;
        }

        @Override
        public void retain(String tenantId, Set<String> hashes) {
        }
    };

    /** The shared vectors of these hashes (hex) that exist; an unreachable store answers none. */
    Map<String, float[]> get(String tenantId, Collection<String> hashes);

    /** Shares these vectors (hash in hex to vector); best effort. */
    void put(String tenantId, Map<String, float[]> vectors);

    /** Drops the shared vectors of texts no metric of the tenant has any more (by the replica that embeds); best effort. */
    void retain(String tenantId, Set<String> hashes);

    /** Whether this replica embeds what is not shared yet (it holds the sync lease, or the store is unreachable). */
    boolean embedsHere();
}
