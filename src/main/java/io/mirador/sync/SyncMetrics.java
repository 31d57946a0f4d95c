package io.mirador.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The seed's sync meters, tagged by tenant and strategy: {@code mirador_metrics_metadata_sync_duration}
 * (timer), {@code mirador_metrics_metadata_sync}, {@code _sync_success} and {@code _sync_errors}
 * (counters; Prometheus shows them with {@code _total}), and {@code mirador_metrics_metadata_indexed}
 * (gauge of the metrics in a tenant's index, tagged by tenant).
 */
public final class SyncMetrics implements SyncListener {

    private final Supplier<MeterRegistry> registry;
    private final Map<String, AtomicLong> indexed = new ConcurrentHashMap<>();

    /** @param registry the registry the service exposes, looked up when first needed */
    public SyncMetrics(Supplier<MeterRegistry> registry) {
        this.registry = registry;
    }

    /** Publishes the number of metrics in a tenant's index (also before its first sync). */
    public void indexed(String tenantId, long metrics) {
        indexed.computeIfAbsent(tenantId, id -> registry.get().gauge("mirador_metrics_metadata_indexed",
                Tags.of("tenant", id), new AtomicLong())).set(metrics);
    }

    @Override
    public void finished(SyncRun run, SyncStatus status, long metricsInIndex) {
        MeterRegistry r = registry.get();
        Tags tags = Tags.of("tenant", run.tenant().id(), "strategy", run.strategy().id());
        r.timer("mirador_metrics_metadata_sync_duration", tags).record(status.duration());
        r.counter("mirador_metrics_metadata_sync", tags).increment();
        if (SyncStatus.COMPLETED.equals(status.status())) {
            r.counter("mirador_metrics_metadata_sync_success", tags).increment();
        } else {
            r.counter("mirador_metrics_metadata_sync_errors", tags.and("status", status.status())).increment();
        }
        indexed(run.tenant().id(), metricsInIndex);
    }
}
