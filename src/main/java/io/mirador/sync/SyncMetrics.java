package io.mirador.sync;

import io.mirador.config.SyncStrategy;
import io.mirador.state.SyncStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The sync meters, tagged by tenant and strategy: {@code mirador_metrics_metadata_sync_duration} (timer),
 * {@code mirador_metrics_metadata_sync}, {@code _sync_success} and {@code _sync_errors} (counters, also by
 * status; Prometheus shows them with {@code _total}), and {@code mirador_metrics_metadata_indexed} (gauge of
 * the metrics a search of the tenant lists). Every series exists from the start at zero, so that
 * {@code rate()} and alerts see it before the first sync or error.
 */
public final class SyncMetrics implements SyncListener {

    private static final List<SyncStrategy> RUN_STRATEGIES = List.of(SyncStrategy.FULL, SyncStrategy.INCREMENTAL);
    private static final List<String> ERROR_STATUSES = List.of(SyncStatus.FAILED, SyncStatus.CANCELLED);

    private final Supplier<MeterRegistry> registry;
    private final Map<String, AtomicLong> indexed = new ConcurrentHashMap<>();

    /** @param registry the registry the service exposes, looked up when first needed */
    public SyncMetrics(Supplier<MeterRegistry> registry) {
        this.registry = registry;
    }

    /** Creates every meter of these tenants at zero, and their index gauges at what the indexes hold. */
    public void register(Collection<String> tenantIds, java.util.function.ToLongFunction<String> metricsInIndex) {
        for (String id : tenantIds) {
            for (SyncStrategy s : RUN_STRATEGIES) {
                Tags tags = Tags.of("tenant", id, "strategy", s.id());
                timer(tags);
                total(tags);
                success(tags);
                for (String status : ERROR_STATUSES) {
                    errors(tags, status);
                }
            }
            indexed(id, metricsInIndex.applyAsLong(id));
        }
    }

    /** Publishes the number of metrics a search of the tenant lists. */
    public void indexed(String tenantId, long metrics) {
        indexed.computeIfAbsent(tenantId, id -> {
            AtomicLong value = new AtomicLong();
            io.micrometer.core.instrument.Gauge.builder("mirador_metrics_metadata_indexed", value, AtomicLong::get)
                    .description("Metrics in the tenant's catalog, as a search lists them (a histogram or summary counts once)")
                    .tags(Tags.of("tenant", id)).register(registry.get());
            return value;
        }).set(metrics);
    }

    @Override
    public void finished(SyncRun run, SyncStatus status, long metricsInIndex) {
        Tags tags = Tags.of("tenant", run.tenant().id(), "strategy", run.strategy().id());
        timer(tags).record(status.duration());
        total(tags).increment();
        if (SyncStatus.COMPLETED.equals(status.status())) {
            success(tags).increment();
        } else {
            errors(tags, status.status()).increment();
        }
        indexed(run.tenant().id(), metricsInIndex);
    }

    private Timer timer(Tags tags) {
        return Timer.builder("mirador_metrics_metadata_sync_duration").description("How long syncs took, whatever their result")
                .tags(tags).register(registry.get());
    }

    private Counter total(Tags tags) {
        return Counter.builder("mirador_metrics_metadata_sync").description("Syncs ended, whatever their result")
                .tags(tags).register(registry.get());
    }

    private Counter success(Tags tags) {
        return Counter.builder("mirador_metrics_metadata_sync_success").description("Syncs that completed and committed")
                .tags(tags).register(registry.get());
    }

    private Counter errors(Tags tags, String status) {
        return Counter.builder("mirador_metrics_metadata_sync_errors")
                .description("Syncs that failed or were cancelled, by status; nothing of them was committed")
                .tags(tags.and("status", status)).register(registry.get());
    }
}
