package io.mirador.sync;

import java.util.Map;
import io.swagger.v3.oas.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.mirador.support.GoDuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The sync settings of the seed ({@code METRICS_METADATA_SYNC_*}), plus the window a full sync reads.
 * Read from settings at start; replaced at run time by {@code PUT /api/v1/metrics/sync/config}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SyncConfig(
        boolean enabled,
        SyncStrategy strategy,
        @Schema(type = "string", example = "2m30s") Duration interval,
        @Schema(type = "string", example = "2m30s") Duration fullSyncInterval,
        int batchSize,
        int maxRetries,
        @Schema(type = "string", example = "2m30s") Duration retryDelay,
        @Schema(type = "string", example = "2m30s") Duration timeRangeLookback,
        @Schema(type = "string", example = "2m30s") Duration fullSyncWindow) {

    public static final int MAX_BATCH_SIZE = 100_000;

    /** Problems with the values, each naming its field; empty when valid. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        positive(out, "interval", interval);
        positive(out, "full_sync_interval", fullSyncInterval);
        positive(out, "time_range_lookback", timeRangeLookback);
        positive(out, "full_sync_window", fullSyncWindow);
        if (retryDelay == null || retryDelay.isNegative()) {
            out.add("retry_delay must be zero or more");
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            out.add("batch_size must be between 1 and " + MAX_BATCH_SIZE + ", was " + batchSize);
        }
        if (maxRetries < 0 || maxRetries > 100) {
            out.add("max_retries must be between 0 and 100, was " + maxRetries);
        }
        if (strategy == null) {
            out.add("strategy must be one of full, incremental, hybrid");
        }
        return out;
    }

    private static void positive(List<String> out, String field, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            out.add(field + " must be greater than zero");
        }
    }

    /**
     * Reads the settings {@code mirador.sync.*}.
     *
     * @throws IllegalArgumentException naming the setting (and its environment variable) that is wrong
     */
    public static SyncConfig fromSettings(Function<String, Optional<String>> setting) {
        SyncConfig config = new SyncConfig(
                read(setting, "enabled", "ENABLED", "true", SyncConfig::parseBoolean),
                read(setting, "strategy", "STRATEGY", "hybrid", SyncStrategy::of),
                read(setting, "interval", "INTERVAL", "15m", GoDuration::parse),
                read(setting, "full-sync-interval", "FULL_INTERVAL", "24h", GoDuration::parse),
                read(setting, "batch-size", "BATCH_SIZE", "1000", SyncConfig::parseInt),
                read(setting, "max-retries", "MAX_RETRIES", "3", SyncConfig::parseInt),
                read(setting, "retry-delay", "RETRY_DELAY", "30s", GoDuration::parse),
                read(setting, "lookback", "LOOKBACK", "1h", GoDuration::parse),
                read(setting, "full-window", null, "24h", GoDuration::parse));
        List<String> problems = config.problems().stream().map(SyncConfig::namingTheSetting).toList();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid sync settings: " + String.join("; ", problems));
        }
        return config;
    }

    /** The setting and environment variable of each field, for start-up messages. */
    private static final Map<String, String> SETTING_OF_FIELD = Map.of(
            "interval", "mirador.sync.interval (METRICS_METADATA_SYNC_INTERVAL)",
            "full_sync_interval", "mirador.sync.full-sync-interval (METRICS_METADATA_SYNC_FULL_INTERVAL)",
            "time_range_lookback", "mirador.sync.lookback (METRICS_METADATA_SYNC_LOOKBACK)",
            "full_sync_window", "mirador.sync.full-window (METRICS_METADATA_SYNC_FULL_WINDOW)",
            "retry_delay", "mirador.sync.retry-delay (METRICS_METADATA_SYNC_RETRY_DELAY)",
            "batch_size", "mirador.sync.batch-size (METRICS_METADATA_SYNC_BATCH_SIZE)",
            "max_retries", "mirador.sync.max-retries (METRICS_METADATA_SYNC_MAX_RETRIES)",
            "strategy", "mirador.sync.strategy (METRICS_METADATA_SYNC_STRATEGY)");

    /** Rewrites a problem "field must ..." as "setting (ENV): field must ...". */
    private static String namingTheSetting(String problem) {
        String field = problem.substring(0, Math.max(0, problem.indexOf(' ')));
        String setting = SETTING_OF_FIELD.get(field);
        return setting == null ? problem : setting + ": " + problem;
    }

    private static <T> T read(Function<String, Optional<String>> setting, String key, String env, String fallback,
                              Function<String, T> parse) {
        String name = "mirador.sync." + key;
        String value = setting.apply(name).orElse(fallback);
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + (env == null ? "" : " (METRICS_METADATA_SYNC_" + env + ")")
                    + ": " + e.getMessage());
        }
    }

    private static boolean parseBoolean(String s) {
        return switch (s.trim().toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("'" + s + "' is not true or false");
        };
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a whole number");
        }
    }
}
