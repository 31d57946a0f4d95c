package io.mirador.config;

import io.mirador.support.GoDuration;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A tenant's own sync interval and strategy, where its settings give them
 * ({@code mirador.tenant.<id>.sync-interval}, {@code mirador.tenant.<id>.sync-strategy}); the sync config
 * in force applies to the rest.
 */
public final class TenantSyncOverrides {

    private final Map<String, Duration> intervals;
    private final Map<String, SyncStrategy> strategies;

    private TenantSyncOverrides(Map<String, Duration> intervals, Map<String, SyncStrategy> strategies) {
        this.intervals = Map.copyOf(intervals);
        this.strategies = Map.copyOf(strategies);
    }

    public Duration interval(String tenantId, SyncConfig config) {
        return intervals.getOrDefault(tenantId, config.interval());
    }

    public SyncStrategy strategy(String tenantId, SyncConfig config) {
        return strategies.getOrDefault(tenantId, config.strategy());
    }

    /** @throws IllegalArgumentException naming the setting whose value is wrong */
    public static TenantSyncOverrides fromSettings(Collection<String> tenantIds, Function<String, Optional<String>> setting) {
        Map<String, Duration> intervals = new HashMap<>();
        Map<String, SyncStrategy> strategies = new HashMap<>();
        for (String id : tenantIds) {
            String prefix = "mirador.tenant." + id + ".";
            try {
                setting.apply(prefix + "sync-interval").map(GoDuration::parse).ifPresent(d -> {
                    if (d.isZero() || d.isNegative()) {
                        throw new IllegalArgumentException("must be greater than zero");
                    }
                    intervals.put(id, d);
                });
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + "sync-interval: " + e.getMessage());
            }
            try {
                setting.apply(prefix + "sync-strategy").map(SyncStrategy::of).ifPresent(s -> strategies.put(id, s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + "sync-strategy: " + e.getMessage());
            }
        }
        return new TenantSyncOverrides(intervals, strategies);
    }
}
