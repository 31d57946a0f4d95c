package io.mirador.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.support.GoDuration;
import io.mirador.sync.SyncConfig;
import io.mirador.sync.SyncStrategy;

import java.time.Duration;
import java.util.Iterator;
import java.util.Set;

/**
 * Applies the fields of a {@code PUT .../sync/config} body to the current config. Each field is checked
 * for its type here (a 400 names it); the ranges are checked by {@link SyncConfig#problems()}.
 */
final class SyncConfigPatch {

    private static final Set<String> FIELDS = Set.of("enabled", "strategy", "interval", "full_sync_interval",
            "batch_size", "max_retries", "retry_delay", "time_range_lookback", "full_sync_window");

    private SyncConfigPatch() {
    }

    static SyncConfig apply(SyncConfig c, JsonNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw ApiException.badData("unknown field '" + field + "'; known fields: " + String.join(", ",
                        new java.util.TreeSet<>(FIELDS)));
            }
        }
        return new SyncConfig(
                bool(body, "enabled", c.enabled()),
                strategy(body, c.strategy()),
                duration(body, "interval", c.interval()),
                duration(body, "full_sync_interval", c.fullSyncInterval()),
                integer(body, "batch_size", c.batchSize()),
                integer(body, "max_retries", c.maxRetries()),
                duration(body, "retry_delay", c.retryDelay()),
                duration(body, "time_range_lookback", c.timeRangeLookback()),
                duration(body, "full_sync_window", c.fullSyncWindow()));
    }

    private static boolean bool(JsonNode body, String field, boolean current) {
        JsonNode n = body.get(field);
        if (n == null) {
            return current;
        }
        if (!n.isBoolean()) {
            throw ApiException.badData(field + " must be true or false");
        }
        return n.booleanValue();
    }

    private static SyncStrategy strategy(JsonNode body, SyncStrategy current) {
        JsonNode n = body.get("strategy");
        if (n == null) {
            return current;
        }
        try {
            return SyncStrategy.of(n.isTextual() ? n.textValue() : n.toString());
        } catch (IllegalArgumentException e) {
            throw ApiException.badData("strategy: " + e.getMessage());
        }
    }

    private static int integer(JsonNode body, String field, int current) {
        JsonNode n = body.get(field);
        if (n == null) {
            return current;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiException.badData(field + " must be a whole number");
        }
        return n.intValue();
    }

    private static Duration duration(JsonNode body, String field, Duration current) {
        JsonNode n = body.get(field);
        if (n == null) {
            return current;
        }
        if (!n.isTextual() && !n.isIntegralNumber()) {
            throw ApiException.badData(field + " must be a duration: \"15m\", \"PT15M\" or integer nanoseconds");
        }
        try {
            return GoDuration.parse(n.asText());
        } catch (IllegalArgumentException e) {
            throw ApiException.badData(field + ": " + e.getMessage());
        }
    }
}
