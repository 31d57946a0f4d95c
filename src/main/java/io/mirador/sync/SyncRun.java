package io.mirador.sync;

import io.mirador.catalog.MetricMetadata;
import io.mirador.config.SyncStrategy;
import io.mirador.source.SeriesCensus;
import io.mirador.source.TimeWindow;
import io.mirador.state.SyncStatus;
import io.mirador.tenant.Tenant;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One sync of one tenant while it runs: what it reads, what it has counted so far, whether it was
 * cancelled or hit an error in a step that cannot throw to the route (the indexing of an aggregated batch).
 * Shared by the threads of the sync's route; counters are atomic.
 */
public final class SyncRun {

    private final String id;
    private final Tenant tenant;
    private final SyncStrategy strategy;
    private final String trigger;
    private final Instant startedAt;
    private final TimeWindow window;
    private final int batchSize;
    private final boolean allowRemoval;
    final AtomicInteger processed = new AtomicInteger();
    final AtomicInteger added = new AtomicInteger();
    final AtomicInteger updated = new AtomicInteger();
    final AtomicInteger removed = new AtomicInteger();
    private volatile Map<String, MetricMetadata> metadata = Map.of();
    private volatile List<String> names = List.of();
    /** The names whose series are read: all of them unless the source's census showed that only some changed. */
    private volatile List<String> namesToRead;
    private volatile SeriesCensus census;
    private volatile String cancelReason;
    private volatile Throwable failure;
    private volatile SyncStatus outcome;
    private final List<String> warnings = new ArrayList<>();
    /** Ids of documents whose content this sync changed and has not yet handed to the publication. */
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private volatile long baseGeneration;
    private Runnable onEnd = () -> { };
    private boolean ended;
    private long queued;
    private Instant lastProgress;
    private long settled;

    SyncRun(String id, Tenant tenant, SyncStrategy strategy, String trigger, Instant startedAt, TimeWindow window,
            int batchSize, boolean allowRemoval) {
        this.id = id;
        this.tenant = tenant;
        this.strategy = strategy;
        this.trigger = trigger;
        this.startedAt = startedAt;
        this.window = window;
        this.batchSize = batchSize;
        this.allowRemoval = allowRemoval;
    }

    public String id() {
        return id;
    }

    public Tenant tenant() {
        return tenant;
    }

    public SyncStrategy strategy() {
        return strategy;
    }

    public boolean isFull() {
        return strategy == SyncStrategy.FULL;
    }

    public String trigger() {
        return trigger;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public TimeWindow window() {
        return window;
    }

    /** Metric names per read batch: the unit the sync splits its reading into, read in parallel. */
    public int batchSize() {
        return batchSize;
    }

    /** Whether this sync may remove more than the configured share of the metrics (asked for once, explicitly). */
    public boolean allowsRemoval() {
        return allowRemoval;
    }

    public Map<String, MetricMetadata> metadata() {
        return metadata;
    }

    public void metadata(Map<String, MetricMetadata> metadata) {
        this.metadata = Map.copyOf(metadata);
    }

    /** The tenant's metric names in the window, sorted, as listed at the start of the sync. */
    public void names(List<String> sortedNames) {
        this.names = sortedNames;
    }

    /** The names listed at the start of the sync, sorted. */
    public List<String> sortedNames() {
        return names;
    }

    /**
     * Reads the series of these names only (sorted, among the listed ones); the others are confirmed unchanged.
     */
    public void readOnly(List<String> sortedNames) {
        this.namesToRead = List.copyOf(sortedNames);
    }

    /** The names whose series this sync reads, sorted: all listed names unless {@link #readOnly} chose some. */
    public List<String> namesToRead() {
        return namesToRead == null ? names : namesToRead;
    }

    /** The listed names whose series this sync does not read, sorted: the source showed they did not change. */
    public List<String> namesToConfirm() {
        if (namesToRead == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(names.size() - namesToRead.size());
        for (String name : names) {
            if (Collections.binarySearch(namesToRead, name) < 0) {
                out.add(name);
            }
        }
        return out;
    }

    /** The source's TSDB status of the window's last day, taken before anything was read; null when unknown. */
    public SeriesCensus census() {
        return census;
    }

    public void census(SeriesCensus census) {
        this.census = census;
    }

    public int nameCount() {
        return names.size();
    }

    /** True once per {@code every} since the start: time to log progress. */
    synchronized boolean progressDue(Instant now, Duration every) {
        if (lastProgress == null) {
            lastProgress = startedAt;
        }
        if (Duration.between(lastProgress, now).compareTo(every) >= 0) {
            lastProgress = now;
            return true;
        }
        return false;
    }

    /** Whether the tenant has this metric name in the window. */
    public boolean hasName(String name) {
        return Collections.binarySearch(names, name) >= 0;
    }

    /** The catalog generation this sync compares against and builds on. */
    public long baseGeneration() {
        return baseGeneration;
    }

    void baseGeneration(long generation) {
        this.baseGeneration = generation;
    }

    /** A document whose content differs from the last commit's: to be published with the sync. */
    void changed(String id) {
        changed.add(id);
    }

    /** Whether the document was marked {@link #changed}; forgets it, as it is handed over once. */
    boolean takeChanged(String id) {
        return changed.remove(id);
    }

    public void countAdded() {
        added.incrementAndGet();
    }

    public void countUpdated() {
        updated.incrementAndGet();
    }

    public void countProcessed(int n) {
        processed.addAndGet(n);
    }

    public int processed() {
        return processed.get();
    }

    public void cancel(String reason) {
        this.cancelReason = reason;
    }

    public boolean isCancelled() {
        return cancelReason != null;
    }

    public String cancelReason() {
        return cancelReason;
    }

    /** Records an error of a step that cannot fail the route itself; the sync fails when it completes. */
    public void fail(Throwable error) {
        if (failure == null) {
            failure = error;
        }
    }

    public Throwable failure() {
        return failure;
    }

    /** Documents handed to the index batches. */
    public synchronized void queued(int documents) {
        queued += documents;
    }

    /** Documents of a batch written (or given up after a failure). */
    public synchronized void settled(int documents) {
        settled += documents;
        notifyAll();
    }

    /**
     * Waits until every queued document is settled, so the index is neither committed nor rolled back
     * while a batch is being written.
     *
     * @throws IllegalStateException when that takes longer than {@code timeout}
     */
    synchronized void awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (settled < queued) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("index batches not written after " + timeout + ": "
                        + settled + " of " + queued + " documents");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Runs {@code action} when the sync ends ({@link #end()}), after what was registered before. */
    synchronized void onEnd(Runnable action) {
        Runnable before = onEnd;
        onEnd = () -> {
            before.run();
            action.run();
        };
    }

    /** The sync has ended, committed or not: runs what was registered with {@link #onEnd}, once. */
    synchronized void end() {
        if (!ended) {
            ended = true;
            onEnd.run();
        }
    }

    /** How the sync ended, once it has; null while it runs. */
    public SyncStatus outcome() {
        return outcome;
    }

    void ended(SyncStatus status) {
        this.outcome = status;
    }

    public synchronized void warn(String warning) {
        warnings.add(warning);
    }

    synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    SyncStatus status(String state, Instant end, List<String> errors) {
        Duration took = end == null ? null : Duration.between(startedAt, end);
        return new SyncStatus(tenant.id(), state, startedAt, end, took, strategy, trigger, processed.get(),
                added.get(), updated.get(), removed.get(), errors == null || errors.isEmpty() ? null : errors);
    }
}
