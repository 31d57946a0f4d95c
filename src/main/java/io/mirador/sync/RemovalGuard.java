package io.mirador.sync;

import io.mirador.config.SyncSettings;
import io.mirador.index.TenantIndexes;

import java.util.Locale;

/**
 * Keeps a full sync from emptying the catalog because a source answered less than it holds: a full sync
 * that lists no metric names where the index has some, or that would remove more than
 * {@code max_removal_share} of a tenant's metrics, removes nothing and fails, naming the counts and how to
 * allow it once ({@code allowRemoval=true} on a sync asked for through the API, with the sync role).
 */
public final class RemovalGuard {

    private final TenantIndexes indexes;
    private final SyncSettings settings;

    public RemovalGuard(TenantIndexes indexes, SyncSettings settings) {
        this.indexes = indexes;
        this.settings = settings;
    }

    /** After the names are listed: a full sync that saw none, where the index has metrics, stops here. */
    public void checkNames(SyncRun run) {
        if (!run.isFull() || run.allowsRemoval() || run.nameCount() > 0) {
            return;
        }
        int held = indexes.of(run.tenant().id()).count();
        if (held > 0) {
            throw new SyncRefusedException("the source returned no metric names for " + run.window().start() + " .. "
                    + run.window().end() + " while the catalog holds " + held + " metric documents; nothing was removed. "
                    + howToAllow(run));
        }
    }

    /** Before a full sync removes {@code unseen} of {@code held} metrics: more than the share allows stops here. */
    public void checkRemovals(SyncRun run, int unseen, int held) {
        double share = settings.current().maxRemovalShare();
        if (!run.isFull() || run.allowsRemoval() || held == 0 || unseen <= share * held) {
            return;
        }
        throw new SyncRefusedException(String.format(Locale.ROOT, "this full sync would remove %d of the %d metric documents"
                        + " of the catalog (%.0f%%), more than max_removal_share allows (%.0f%%); nothing was removed. %s",
                unseen, held, 100.0 * unseen / held, 100 * share, howToAllow(run)));
    }

    private static String howToAllow(SyncRun run) {
        return "If the source really lost them, allow it once: POST /api/v1/metrics/sync/" + run.tenant().id()
                + "?forceFull=true&allowRemoval=true (sync role)";
    }
}
