package io.mirador.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How a sync reads the source. */
public enum SyncStrategy {
    /** Everything in the full window; removes what it did not see. */
    FULL,
    /** The lookback window only; merges, never removes. */
    INCREMENTAL,
    /** Incremental every interval, full when the full-sync interval has passed. */
    HYBRID;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static SyncStrategy of(String text) {
        for (SyncStrategy s : values()) {
            if (s.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a strategy (full, incremental or hybrid)");
    }
}
