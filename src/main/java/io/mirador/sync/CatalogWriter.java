package io.mirador.sync;

import io.mirador.catalog.Families;
import io.mirador.catalog.MetadataLookup;
import io.mirador.catalog.MetricDocument;
import io.mirador.catalog.MetricMerger;
import io.mirador.catalog.MetricObservation;
import io.mirador.index.TenantIndex;
import io.mirador.index.TenantIndexes;
import io.mirador.support.DutyCycle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The writing half of a sync: turns observations into the next version of their documents (counting
 * each as added, updated or unchanged against the last commit), places them in their histogram or
 * summary family (a histogram gets a document of its own, made from its buckets), and writes batches
 * of documents.
 */
public final class CatalogWriter {

    private final TenantIndexes indexes;
    private final MetricMerger merger;
    private final DutyCycle pace;
    private final CatalogPublication publication;

    /**
     * @param pace        gives way to searches while documents are made and written
     * @param publication takes the documents whose content changed, for the next catalog generation
     */
    public CatalogWriter(TenantIndexes indexes, MetricMerger merger, DutyCycle pace, CatalogPublication publication) {
        this.indexes = indexes;
        this.publication = publication;
        this.merger = merger;
        this.pace = pace;
    }

    public List<MetricDocument> documents(SyncRun run, List<MetricObservation> observations) {
        TenantIndex index = indexes.of(run.tenant().id());
        List<Families.Membership> families = new ArrayList<>(observations.size());
        List<String> ids = new ArrayList<>(observations.size());
        for (MetricObservation o : observations) {
            Families.Membership family = Families.of(o.name(), o.labelValues().keySet(), run::hasName);
            families.add(family);
            ids.add(o.name());
            if (family.role() == Families.Role.HISTOGRAM_BUCKETS) {
                ids.add(family.base());
            }
        }
        Map<String, MetricDocument> committed = index.committed(ids);
        List<MetricDocument> out = new ArrayList<>(observations.size());
        for (int i = 0; i < observations.size(); i++) {
            MetricObservation o = observations.get(i);
            Families.Membership family = families.get(i);
            MetricDocument before = committed.get(o.name());
            MetricDocument next = inFamily(family, merge(run, before, o));
            if (before == null) {
                run.countAdded();
            } else if (!next.sameContentAs(before)) {
                run.countUpdated();
            }
            out.add(changed(run, before, MetricMerger.settle(before, next)));
            pace.pace();
            if (family.role() == Families.Role.HISTOGRAM_BUCKETS) {
                // the family's own document is derived, not a series name: not counted
                MetricDocument head = committed.get(family.base());
                out.add(changed(run, head, MetricMerger.settle(head, inFamily(family, merge(run, head,
                        histogramOf(family.base(), o))))));
            }
        }
        run.countProcessed(observations.size());
        return out;
    }

    /**
     * Names whose series an incremental sync did not read, as the source showed they did not change
     * ({@link SourceChanges}): their documents stay, except that {@code last_seen} moves to the window's end once it
     * lies before the window's start. So {@code last_seen} is exact to within the lookback, and a document is
     * rewritten for it at most once per lookback rather than on every sync. A histogram's own document moves with
     * its buckets.
     */
    public List<MetricDocument> confirmed(SyncRun run, List<String> names) {
        // the id of each document to look at -> whether it is a histogram's own document (not a series name)
        Map<String, Boolean> ids = new LinkedHashMap<>();
        for (String name : names) {
            ids.put(name, false);
            if (name.endsWith("_bucket")) {
                ids.putIfAbsent(name.substring(0, name.length() - "_bucket".length()), true);
            }
        }
        Map<String, MetricDocument> committed = indexes.of(run.tenant().id()).committed(ids.keySet());
        List<MetricDocument> out = new ArrayList<>();
        ids.forEach((id, histogramHead) -> {
            MetricDocument doc = committed.get(id);
            if (doc != null && doc.lastSeen().isBefore(run.window().start()) && (!histogramHead || id.equals(doc.family()))) {
                out.add(changed(run, doc, doc.seenAt(run.window().end())));
                pace.pace();
            }
        });
        run.countProcessed(names.size());
        return out;
    }

    /** Marks {@code next} for publication when it is not exactly the committed document (timestamps included). */
    private static MetricDocument changed(SyncRun run, MetricDocument before, MetricDocument next) {
        if (!next.equals(before)) {
            run.changed(next.id());
        }
        return next;
    }

    private MetricDocument merge(SyncRun run, MetricDocument before, MetricObservation o) {
        return merger.merge(before, o, MetadataLookup.find(run.metadata(), o.name()), run.tenant().id(),
                !run.isFull(), run.window().end());
    }

    /** Marks a document as its family's (with the parts) or as a part; a part's type is its family's. */
    private static MetricDocument inFamily(Families.Membership family, MetricDocument doc) {
        return switch (family.role()) {
            case NONE -> doc;
            case SUMMARY_QUANTILES -> doc.inFamily(family.base(), family.parts()).withType(family.type());
            case HISTOGRAM_BUCKETS, PART -> {
                boolean isHead = doc.name().equals(family.base());
                yield doc.inFamily(family.base(), isHead ? family.parts() : null).withType(family.type());
            }
        };
    }

    /**
     * A histogram seen through its buckets: the labels without {@code le}, and one series per label set
     * (the bucket series divided by the number of buckets).
     */
    private static MetricObservation histogramOf(String base, MetricObservation buckets) {
        Map<String, String> labels = new TreeMap<>(buckets.exampleLabels());
        labels.remove("le");
        Map<String, List<String>> values = new TreeMap<>(buckets.labelValues());
        values.remove("le");
        Map<String, Long> cardinality = new TreeMap<>(buckets.labelCardinality());
        long bucketCount = Math.max(1, cardinality.getOrDefault("le", 1L));
        cardinality.remove("le");
        return new MetricObservation(base, Math.max(1, buckets.seriesCount() / bucketCount), labels, values, cardinality);
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
                List<MetricDocument> changed = new ArrayList<>();
                for (MetricDocument doc : batch) {
                    index.write(doc, run.id());
                    if (run.takeChanged(doc.id())) {
                        changed.add(doc);
                    }
                    pace.pace();
                }
                if (!changed.isEmpty()) {
                    publication.stage(run, changed);
                }
            }
        } catch (RuntimeException e) {
            run.fail(e);
        } finally {
            run.settled(batch.size());
        }
    }
}
