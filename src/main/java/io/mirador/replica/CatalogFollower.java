package io.mirador.replica;

import io.mirador.index.TenantIndexes;

/**
 * Keeps this replica's indexes at the shared catalog's generation. Alone, the index is the catalog: there is nothing
 * to follow.
 */
public interface CatalogFollower {

    /** Brings every tenant's index up to the shared catalog, skipping a tenant whose sync is writing here. */
    void followAll();

    /** The generation this replica serves for a tenant, and the catalog's. */
    Generations generations(String tenantId);

    /** The follower of a catalog kept by this process alone. */
    static CatalogFollower alone(TenantIndexes indexes) {
        return new CatalogFollower() {
            @Override
            public void followAll() {
            }

            @Override
            public Generations generations(String tenantId) {
                long g = indexes.of(tenantId).generation();
                return new Generations(g, g, null);
            }
        };
    }
}
