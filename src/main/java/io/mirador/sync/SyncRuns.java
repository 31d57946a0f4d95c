package io.mirador.sync;

import io.mirador.config.SyncConfig;
import io.mirador.config.SyncStrategy;
import io.mirador.state.SyncState;
import io.mirador.config.SyncSettings;
import io.mirador.config.TenantSyncOverrides;
import io.mirador.state.SyncStateStore;
import io.mirador.state.SyncStatus;
import io.mirador.state.TenantSyncRecord;
import io.mirador.support.GoDuration;
import io.mirador.index.TenantIndex;
import io.mirador.index.TenantIndexes;
import io.mirador.source.TimeWindow;
import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts, finishes and records syncs: one at a time per tenant, each ending in one index commit (or a
 * rollback) and one saved state. The {@code sync-run} route calls {@link #begin}, then {@link #complete}
 * or {@link #fail}.
 */
public final class SyncRuns {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);
    /** How long the end of a sync waits for its last index batches to be written. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(5);
    /** How often a long sync logs how far it is. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** How long a sync waits for a replica's catalog update of the same index to end. */
    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(30);

    private final Tenants tenants;
    private final TenantIndexes indexes;
    private final SyncSettings settings;
    private final SyncStateStore store;
    private final Clock clock;
    private final List<SyncListener> listeners;
    private final TenantSyncOverrides overrides;
    private final RemovalGuard guard;
    private final CatalogPublication publication;
    private final Map<String, SyncRun> running = new ConcurrentHashMap<>();
    private final Map<String, TenantSyncRecord> records = new ConcurrentHashMap<>();

    /**
     * @param publication where a sync's result goes besides the local index; with replicas the records are shared,
     *                    and a sync found interrupted is recorded so by the replica that takes the syncs over
     *                    ({@link #recoverInterrupted()}), not by every replica at its start
     */
    public SyncRuns(Tenants tenants, TenantIndexes indexes, SyncSettings settings, SyncStateStore store, Clock clock,
                    List<SyncListener> listeners, TenantSyncOverrides overrides, RemovalGuard guard,
                    CatalogPublication publication, boolean sharedRecords) {
        this.tenants = tenants;
        this.indexes = indexes;
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.listeners = List.copyOf(listeners);
        this.overrides = overrides;
        this.guard = guard;
        this.publication = publication;
        Map<String, TenantSyncRecord> saved = store.loadAll();
        for (Tenant t : tenants.all()) {
            records.put(t.id(), saved.getOrDefault(t.id(), TenantSyncRecord.initial(t.id())));
        }
        store.onNewerRecord(this::adopt);
        if (!sharedRecords) {
            recoverInterrupted();
        }
    }

    /**
     * Records as failed every sync the records show running that no thread here runs: its process stopped mid-sync.
     * Alone, at start; with replicas, by the replica that holds the syncs (only it runs them), each time it plans.
     */
    public void recoverInterrupted() {
        if (tenants.all().stream().noneMatch(t -> looksInterrupted(t.id()))) {
            return;
        }
        // the shared copy is read only when a record looks interrupted: it may have ended elsewhere a moment ago
        store.refresh();
        for (Tenant t : tenants.all()) {
            TenantSyncRecord r = records.get(t.id());
            if (looksInterrupted(t.id())) {
                SyncStatus interrupted = r.status().interrupted();
                Instant at = interrupted.endTime() != null ? interrupted.endTime() : clock.instant();
                LOG.warn("the sync of tenant {} started at {} was interrupted (its process stopped); recorded as failed",
                        t.id(), r.status().startTime());
                recordQuietly(t.id(), r.state().failed(at, interrupted.errors().get(0), indexes.of(t.id()).counts()), interrupted);
            }
        }
    }

    /** The tenant's record says a sync runs, and none runs here. */
    private boolean looksInterrupted(String tenantId) {
        TenantSyncRecord r = records.get(tenantId);
        return !running.containsKey(tenantId)
                && (r.state().isCurrentlySyncing() || SyncStatus.RUNNING.equals(r.status().status()));
    }

    /** A newer record of a tenant from the shared store (another replica's sync): kept unless a sync runs here. */
    private void adopt(String tenantId, TenantSyncRecord record) {
        if (!running.containsKey(tenantId)) {
            records.computeIfPresent(tenantId, (id, mine) -> record.isNewerThan(mine) ? record : mine);
        }
    }

    /**
     * Claims the tenant and starts a sync of it; a sync already running is a {@link SyncConflictException}.
     * A sync whose start cannot be recorded (the state store fails) does not start and leaves nothing behind.
     */
    public SyncRun begin(SyncRequest request) {
        Tenant tenant = tenants.get(request.tenantId());
        SyncConfig config = settings.current();
        Instant now = clock.instant();
        SyncStrategy strategy = request.forceFull() ? SyncStrategy.FULL : planned(tenant.id(), config, now);
        Duration length = strategy == SyncStrategy.FULL ? config.fullSyncWindow() : config.timeRangeLookback();
        TimeWindow window = request.window() != null ? request.window() : TimeWindow.endingAt(now, length);
        int batchSize = request.batchSize() != null ? request.batchSize() : config.batchSize();
        SyncRun run = new SyncRun(UUID.randomUUID().toString(), tenant, strategy, request.trigger(), now, window,
                batchSize, request.allowRemoval());
        SyncRun other = running.putIfAbsent(tenant.id(), run);
        if (other != null) {
            throw new SyncConflictException(other.status(SyncStatus.RUNNING, null, null));
        }
        TenantIndex index = indexes.of(tenant.id());
        if (!index.claimWriter(CLAIM_TIMEOUT)) {
            running.remove(tenant.id(), run);
            throw new SyncUnavailableException("the index of tenant " + tenant.id() + " has been taking another"
                    + " replica's catalog update for more than " + GoDuration.format(CLAIM_TIMEOUT) + "; try again", null);
        }
        run.onEnd(index::releaseWriter);
        try {
            run.baseGeneration(publication.prepare(run));
            store.refresh();
            TenantSyncRecord last = records.get(tenant.id());
            record(tenant.id(), last.state().started(), run.status(SyncStatus.RUNNING, null, null));
        } catch (RuntimeException e) {
            publication.discard(run);
            run.end();
            running.remove(tenant.id(), run);
            throw e;
        }
        LOG.info("sync started: tenant={} strategy={} trigger={} window={}..{}", tenant.id(), strategy.id(),
                request.trigger(), run.window().start(), run.window().end());
        return run;
    }

    /**
     * The strategy a sync started now would use: full for an index being rebuilt; else the tenant's or the
     * configured one, or for hybrid, full when the full-sync interval has passed since the last successful full sync.
     */
    public SyncStrategy planned(String tenantId, SyncConfig config, Instant now) {
        if (indexes.of(tenantId).isRebuilding()) {
            // an index moved aside as corrupt is empty: only a full sync fills it
            return SyncStrategy.FULL;
        }
        SyncStrategy strategy = overrides.strategy(tenantId, config);
        if (strategy != SyncStrategy.HYBRID) {
            return strategy;
        }
        Instant lastFull = records.get(tenantId).state().lastFullSyncTime();
        return lastFull == null || !lastFull.plus(config.fullSyncInterval()).isAfter(now)
                ? SyncStrategy.FULL : SyncStrategy.INCREMENTAL;
    }

    /** A batch boundary: stops the sync here if it was cancelled, or if writing a batch failed. */
    public void checkpoint(SyncRun run) {
        if (run.progressDue(clock.instant(), PROGRESS_EVERY)) {
            LOG.info("sync progress: tenant={} strategy={} processed={} of {} names, {} elapsed", run.tenant().id(),
                    run.strategy().id(), run.processed(), run.nameCount(),
                    GoDuration.format(Duration.between(run.startedAt(), clock.instant()).withNanos(0)));
        }
        if (run.isCancelled()) {
            throw new SyncCancelledException(run.cancelReason());
        }
        if (run.failure() != null) {
            throw new IllegalStateException(run.failure().getMessage(), run.failure());
        }
    }

    /**
     * Commits what the sync wrote (after removing, for a full sync, every metric it did not see, unless that
     * is more than the removal guard allows) and records it.
     */
    public SyncRun complete(SyncRun run) {
        try {
            run.awaitSettled(SETTLE_TIMEOUT);
        } catch (InterruptedException | IllegalStateException e) {
            return fail(run, e);
        }
        if (run.isCancelled() || run.failure() != null) {
            return fail(run, run.isCancelled() ? new SyncCancelledException(run.cancelReason()) : run.failure());
        }
        TenantIndex index = indexes.of(run.tenant().id());
        long generation;
        try {
            if (run.isFull()) {
                int unseen = index.countUnmarked(run.id());
                guard.checkRemovals(run, unseen, index.count());
                if (unseen > 0) {
                    publication.stageRemovals(run, index.unmarkedIds(run.id()));
                }
                run.removed.set(index.deleteUnmarked(run.id()));
            }
            generation = publication.publish(run);
            index.commit(generation);
            if (run.isFull()) {
                index.rebuilt();
            }
        } catch (RuntimeException e) {
            return fail(run, e);
        }
        publication.published(run, generation);
        try {
            Instant end = clock.instant();
            TenantIndex.Counts inIndex = index.counts();
            SyncStatus status = run.status(SyncStatus.COMPLETED, end, run.warnings());
            TenantSyncRecord last = records.get(run.tenant().id());
            recordQuietly(run.tenant().id(), last.state().succeeded(run.startedAt(), run.isFull(), inIndex), status);
            LOG.info("sync completed: tenant={} strategy={} processed={} added={} updated={} removed={} in_index={} took={}",
                    run.tenant().id(), run.strategy().id(), status.metricsProcessed(), status.metricsAdded(),
                    status.metricsUpdated(), status.metricsRemoved(), inIndex.metrics(), GoDuration.format(status.duration()));
            run.ended(status);
            listeners.forEach(l -> l.finished(run, status, inIndex.metrics()));
        } finally {
            run.end();
            running.remove(run.tenant().id(), run);
        }
        return run;
    }

    /** Drops what the sync wrote, keeping the last commit, and records it failed (or cancelled) with the reason. */
    public SyncRun fail(SyncRun run, Throwable error) {
        try {
            TenantIndex index = indexes.of(run.tenant().id());
            try {
                run.awaitSettled(SETTLE_TIMEOUT);
                index.rollback();
            } catch (RuntimeException | InterruptedException e) {
                LOG.error("rollback of tenant {} failed after: {}", run.tenant().id(), error, e);
            }
            publication.discard(run);
            Instant end = clock.instant();
            boolean cancelled = run.isCancelled();
            String reason = reason(error);
            List<String> errors = new ArrayList<>();
            errors.add(reason);
            errors.addAll(run.warnings());
            SyncStatus status = run.status(cancelled ? SyncStatus.CANCELLED : SyncStatus.FAILED, end, errors);
            TenantIndex.Counts inIndex = index.counts();
            TenantSyncRecord last = records.get(run.tenant().id());
            recordQuietly(run.tenant().id(), last.state().failed(end, reason, inIndex), status);
            LOG.warn("sync {}: tenant={} strategy={} processed={} took={} reason: {}", status.status(), run.tenant().id(),
                    run.strategy().id(), status.metricsProcessed(), GoDuration.format(status.duration()), reason);
            run.ended(status);
            listeners.forEach(l -> l.finished(run, status, inIndex.metrics()));
        } finally {
            run.end();
            running.remove(run.tenant().id(), run);
        }
        return run;
    }

    /**
     * What a user should read of a failure: the first exception of the service's own in the cause chain
     * (a source or index error says what failed), past Camel's wrappers; else the root cause.
     */
    static String reason(Throwable error) {
        Throwable chosen = error;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            chosen = t;
            if (t.getClass().getName().startsWith("io.mirador.")) {
                break;
            }
        }
        String message = chosen.getMessage();
        return message == null || message.isBlank() ? chosen.getClass().getSimpleName() : message;
    }

    /** Cancels every running sync; each stops at its next batch boundary. */
    public void cancelAll(String reason) {
        for (SyncRun run : running.values()) {
            run.cancel(reason);
        }
    }

    public boolean isRunning(String tenantId) {
        return running.containsKey(tenantId);
    }

    public Collection<SyncRun> runningSyncs() {
        return running.values();
    }

    public SyncState state(String tenantId) {
        return records.get(tenants.get(tenantId).id()).state();
    }

    /** The running sync's status with its counts so far, else the last sync's. */
    public SyncStatus status(String tenantId) {
        String id = tenants.get(tenantId).id();
        SyncRun run = running.get(id);
        return run != null ? run.status(SyncStatus.RUNNING, null, null) : records.get(id).status();
    }

    /** Keeps the tenant's next record in memory and in the store; a store that fails throws, keeping neither. */
    private void record(String tenantId, SyncState state, SyncStatus status) {
        TenantSyncRecord next = records.get(tenantId).next(state, status, clock.instant());
        store.save(tenantId, next);
        records.put(tenantId, next);
    }

    /**
     * Records how a sync ended even when the store fails: the outcome is kept in memory (status and state answer
     * it) and reaches the store with the next record that can be saved.
     */
    private void recordQuietly(String tenantId, SyncState state, SyncStatus status) {
        TenantSyncRecord next = records.get(tenantId).next(state, status, clock.instant());
        records.put(tenantId, next);
        try {
            store.save(tenantId, next);
        } catch (RuntimeException e) {
            LOG.error("the end of the sync of tenant {} could not be recorded in the state store: {}", tenantId, e.getMessage());
        }
    }
}
