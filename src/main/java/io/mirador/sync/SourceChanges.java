package io.mirador.sync;

import io.mirador.index.TenantIndexes;
import io.mirador.source.SeriesCensus;
import io.mirador.state.SyncStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets an incremental sync read the series of only the names that changed. Each sync takes the source's census of
 * the day before it reads anything (its TSDB status: series of the day, and series per name when it lists every
 * name); a sync that completes leaves that census as the tenant's baseline. The next incremental sync compares:
 * <ul>
 *   <li>both censuses list every name: only names that are new or whose count moved are read (a series deleted
 *       through the source's admin API and one added to another metric leave the day's total as it was, not the
 *       two names' counts);</li>
 *   <li>else, the same day's series count unchanged: no series was added since the baseline, so only names the
 *       catalog does not have are read;</li>
 *   <li>else (another day, a window reaching into the day before, a source that does not count series, no
 *       baseline, an index that changed otherwise): every name in the window is read, as without a census.</li>
 * </ul>
 * The baseline is only used while the tenant's index is at the generation its sync committed, from the same source:
 * an index rebuilt, rolled forward by another replica or refilled reads everything again. Baselines live in memory;
 * after a start (or when the sync lease moves) the first incremental sync of each tenant reads everything.
 */
public final class SourceChanges implements SyncListener {

    private static final Logger LOG = LoggerFactory.getLogger(SourceChanges.class);

    private record Baseline(String source, SeriesCensus census, long generation) {
    }

    private final TenantIndexes indexes;
    private final Map<String, Baseline> baselines = new ConcurrentHashMap<>();

    public SourceChanges(TenantIndexes indexes) {
        this.indexes = indexes;
    }

    /** Chooses the names an incremental sync reads (all of them for a full sync, or when the census cannot tell). */
    public void plan(SyncRun run) {
        if (run.isFull()) {
            return;
        }
        SeriesCensus now = run.census();
        Baseline base = baselines.get(run.tenant().id());
        String why = whyReadAll(run, now, base);
        if (why != null) {
            LOG.debug("incremental sync of tenant {} reads every name: {}", run.tenant().id(), why);
            return;
        }
        // a name the catalog does not have is read whatever the counts say (a series deleted the same day offsets one added)
        TreeSet<String> toRead = new TreeSet<>(indexes.of(run.tenant().id()).missing(run.sortedNames()));
        if (now.hasEveryName() && base.census().hasEveryName()) {
            for (String name : run.sortedNames()) {
                if (!Objects.equals(now.seriesByName().get(name), base.census().seriesByName().get(name))) {
                    toRead.add(name);
                }
            }
        }
        run.readOnly(new ArrayList<>(toRead));
        LOG.info("incremental sync of tenant {}: {} series on {} ({} at the last sync), reading {} of {} names",
                run.tenant().id(), now.totalSeries(), now.day(), base.census().totalSeries(), toRead.size(), run.nameCount());
    }

    /** Why the census cannot narrow this sync, or null when it can. */
    private String whyReadAll(SyncRun run, SeriesCensus now, Baseline base) {
        if (now == null || !now.countsSeries()) {
            return "the source does not count the day's series";
        }
        if (base == null) {
            return "no completed sync since start to compare with";
        }
        if (!base.source().equals(run.tenant().apiBase())) {
            return "the tenant's source changed";
        }
        if (base.generation() != run.baseGeneration()) {
            return "the index changed since the last sync's census";
        }
        if (!base.census().day().equals(now.day())) {
            return "the last sync's census counted another day";
        }
        if (!LocalDate.ofInstant(run.window().start(), ZoneOffset.UTC).equals(now.day())) {
            // a series written late with yesterday's timestamps moves only yesterday's count
            return "the window reaches into the day before, which the census does not count";
        }
        if (now.totalSeries() != base.census().totalSeries() && !(now.hasEveryName() && base.census().hasEveryName())) {
            return "series were added and the source does not count every name's";
        }
        return null;
    }

    /** A completed sync's census becomes the tenant's baseline; a failed one leaves the last (its index rolled back). */
    @Override
    public void finished(SyncRun run, SyncStatus status, long metricsInIndex) {
        if (!SyncStatus.COMPLETED.equals(status.status())) {
            return;
        }
        String tenant = run.tenant().id();
        if (run.census() == null || !run.census().countsSeries()) {
            baselines.remove(tenant);
        } else {
            baselines.put(tenant, new Baseline(run.tenant().apiBase(), run.census(), indexes.of(tenant).generation()));
        }
    }
}
