package io.mirador.sync;

import io.mirador.catalog.MetricDocument;

import java.util.Collection;
import java.util.List;

/**
 * Where a sync's result goes besides this replica's index, and which catalog generation it becomes. Alone, a
 * sync's commit is simply the next generation of the local index; with replicas on Valkey, the changed documents
 * are staged in Valkey while the sync runs and become the next generation of the shared catalog in one step, which
 * every replica then serves.
 */
public interface CatalogPublication {

    /**
     * Before a sync writes anything: brings the local index up to the shared catalog, so that the sync compares
     * against what every replica serves; answers the generation the sync builds on.
     */
    long prepare(SyncRun run);

    /** Documents the sync wrote whose content changed: part of the next generation if the sync commits. */
    void stage(SyncRun run, List<MetricDocument> changed);

    /** Ids the sync removes: part of the next generation if the sync commits. */
    void stageRemovals(SyncRun run, Collection<String> ids);

    /**
     * Makes what the sync staged the next generation, unless another generation was published since the sync's
     * base: then an {@link IllegalStateException} says so, and the sync fails.
     *
     * @return the generation the local index commits as
     */
    long publish(SyncRun run);

    /** After the local commit: tidies what the publication left (best effort, never throws). */
    void published(SyncRun run, long generation);

    /** The sync did not commit: drops what it staged (best effort, never throws). */
    void discard(SyncRun run);

    /** A sync alone on its index: each commit is the next generation of the local index. */
    static CatalogPublication local(io.mirador.index.TenantIndexes indexes) {
        return new CatalogPublication() {
            @Override
            public long prepare(SyncRun run) {
                return indexes.of(run.tenant().id()).generation();
            }

            @Override
            public void stage(SyncRun run, List<MetricDocument> changed) {
            }

            @Override
            public void stageRemovals(SyncRun run, Collection<String> ids) {
            }

            @Override
            public long publish(SyncRun run) {
                return run.baseGeneration() + 1;
            }

            @Override
            public void published(SyncRun run, long generation) {
            }

            @Override
            public void discard(SyncRun run) {
            }
        };
    }
}
