package io.mirador.replica;

import java.time.Instant;

/**
 * Which catalog generation a replica serves for a tenant, against the shared catalog's.
 *
 * @param serving      the generation of this replica's index (its last commit)
 * @param catalog      the shared catalog's newest generation, as last read (the same as {@code serving} alone)
 * @param behindSince  since when this replica has served an older generation than the catalog's; null when current
 */
public record Generations(long serving, long catalog, Instant behindSince) {

    public boolean isCurrent() {
        return behindSince == null;
    }
}
