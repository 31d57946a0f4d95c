package io.mirador.config;


import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The sync settings ({@code METRICS_METADATA_SYNC_*}), plus the window a full sync reads and the share of a
 * tenant's metrics a full sync may remove. Read from settings at start; fields are changed at run time by
 * {@code PUT /api/v1/metrics/sync/config} ({@link SyncSettings}). Each field's reading and bounds are in
 * {@link SyncConfigField}.
 */
public record SyncConfig(
        boolean enabled,
        SyncStrategy strategy,
        Duration interval,
        Duration fullSyncInterval,
        int batchSize,
        int maxRetries,
        Duration retryDelay,
        Duration timeRangeLookback,
        Duration fullSyncWindow,
        double maxRemovalShare) {

    public static final int MAX_BATCH_SIZE = 100_000;

    /** The value of one field. */
    public Object value(SyncConfigField field) {
        return switch (field) {
            case ENABLED -> enabled;
            case STRATEGY -> strategy;
            case INTERVAL -> interval;
            case FULL_SYNC_INTERVAL -> fullSyncInterval;
            case BATCH_SIZE -> batchSize;
            case MAX_RETRIES -> maxRetries;
            case RETRY_DELAY -> retryDelay;
            case TIME_RANGE_LOOKBACK -> timeRangeLookback;
            case FULL_SYNC_WINDOW -> fullSyncWindow;
            case MAX_REMOVAL_SHARE -> maxRemovalShare;
        };
    }

    /** Every field's value. */
    public Map<SyncConfigField, Object> values() {
        Map<SyncConfigField, Object> out = new EnumMap<>(SyncConfigField.class);
        for (SyncConfigField f : SyncConfigField.values()) {
            out.put(f, value(f));
        }
        return out;
    }

    /** This config with some fields replaced. */
    public SyncConfig with(Map<SyncConfigField, Object> changes) {
        Map<SyncConfigField, Object> v = values();
        v.putAll(changes);
        return of(v);
    }

    /** A config of every field's value. */
    static SyncConfig of(Map<SyncConfigField, Object> v) {
        return new SyncConfig((Boolean) v.get(SyncConfigField.ENABLED), (SyncStrategy) v.get(SyncConfigField.STRATEGY),
                (Duration) v.get(SyncConfigField.INTERVAL), (Duration) v.get(SyncConfigField.FULL_SYNC_INTERVAL),
                (Integer) v.get(SyncConfigField.BATCH_SIZE), (Integer) v.get(SyncConfigField.MAX_RETRIES),
                (Duration) v.get(SyncConfigField.RETRY_DELAY), (Duration) v.get(SyncConfigField.TIME_RANGE_LOOKBACK),
                (Duration) v.get(SyncConfigField.FULL_SYNC_WINDOW), (Double) v.get(SyncConfigField.MAX_REMOVAL_SHARE));
    }

    /** Problems with the values, each naming its field; empty when valid. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (SyncConfigField f : SyncConfigField.values()) {
            Object v = value(f);
            if (v == null) {
                out.add(f.jsonName() + " is missing");
                continue;
            }
            try {
                f.read(f.write(v));
            } catch (IllegalArgumentException e) {
                out.add(f.jsonName() + " " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * Reads the settings {@code mirador.sync.*}.
     *
     * @throws IllegalArgumentException naming the setting (and its environment variable) that is wrong
     */
    public static SyncConfig fromSettings(Function<String, Optional<String>> setting) {
        Map<SyncConfigField, Object> v = new EnumMap<>(SyncConfigField.class);
        for (SyncConfigField f : SyncConfigField.values()) {
            String text = setting.apply(f.setting()).orElseThrow(() -> new IllegalArgumentException(f.setting() + " ("
                    + f.env() + ") is not set (application.properties gives every setting a value)"));
            try {
                v.put(f, f.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(f.setting() + " (" + f.env() + "): " + e.getMessage());
            }
        }
        return of(v);
    }
}
