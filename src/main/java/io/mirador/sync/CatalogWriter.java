package io.mirador.sync;

import io.mirador.catalog.MetadataLookup;
import io.mirador.catalog.MetricDocument;
import io.mirador.catalog.MetricMerger;
import io.mirador.catalog.MetricObservation;
import io.mirador.index.TenantIndex;
import io.mirador.index.TenantIndexes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The writing half of a sync: turns observations into the next version of their documents (counting
 * each as added, updated or unchanged against the last commit), and writes batches of documents.
 */
public final class CatalogWriter {

    private final TenantIndexes indexes;
    private final MetricMerger merger;

    public CatalogWriter(TenantIndexes indexes, MetricMerger merger) {
        this.indexes = indexes;
        this.merger = merger;
    }

    public List<MetricDocument> documents(SyncRun run, List<MetricObservation> observations) {
        TenantIndex index = indexes.of(run.tenant().id());
        List<String> ids = new ArrayList<>(observations.size());
        for (MetricObservation o : observations) {
            ids.add(o.name());
        }
        Map<String, MetricDocument> committed = index.committed(ids);
        List<MetricDocument> out = new ArrayList<>(observations.size());
        for (MetricObservation o : observations) {
            MetricDocument before = committed.get(o.name());
            MetricDocument next = merger.merge(before, o, MetadataLookup.find(run.metadata(), o.name()),
                    run.tenant().id(), !run.isFull(), run.window().end());
            if (before == null) {
                run.countAdded();
            } else if (!next.sameContentAs(before)) {
                run.countUpdated();
            }
            out.add(next);
        }
        run.countProcessed(out.size());
        return out;
    }

    /**
     * Writes one aggregated batch, on the aggregator's thread while the sync reads on. The batch has no
     * caller to throw to, so an error is kept in the run, which then fails instead of committing; the
     * batch counts as settled either way, so the sync's end does not wait for it forever.
     */
    public void write(SyncRun run, List<MetricDocument> batch) {
        try {
            if (run.failure() == null) {
                TenantIndex index = indexes.of(run.tenant().id());
                for (MetricDocument doc : batch) {
                    index.write(doc, run.id());
                }
            }
        } catch (RuntimeException e) {
            run.fail(e);
        } finally {
            run.settled(batch.size());
        }
    }
}
