package io.mirador.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mirador.support.GoDuration;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The fields of the sync config, each with its name in JSON, its setting, its environment variable, the
 * way its value is read (from a setting's text, or from JSON: a PUT body or a stored override) and its
 * bounds. Every value, wherever it comes from, is read and checked here.
 */
public enum SyncConfigField {
    ENABLED("enabled", "enabled", "ENABLED", Kind.BOOLEAN, 0, 0),
    STRATEGY("strategy", "strategy", "STRATEGY", Kind.STRATEGY, 0, 0),
    INTERVAL("interval", "interval", "INTERVAL", Kind.DURATION, 1, days(30)),
    FULL_SYNC_INTERVAL("full_sync_interval", "full-sync-interval", "FULL_INTERVAL", Kind.DURATION, 1, days(365)),
    BATCH_SIZE("batch_size", "batch-size", "BATCH_SIZE", Kind.INTEGER, 1, SyncConfig.MAX_BATCH_SIZE),
    MAX_RETRIES("max_retries", "max-retries", "MAX_RETRIES", Kind.INTEGER, 0, SyncConfigField.MAX_RETRIES_BOUND),
    RETRY_DELAY("retry_delay", "retry-delay", "RETRY_DELAY", Kind.DURATION, 0, 3600),
    TIME_RANGE_LOOKBACK("time_range_lookback", "lookback", "LOOKBACK", Kind.DURATION, 1, days(365)),
    FULL_SYNC_WINDOW("full_sync_window", "full-window", "FULL_WINDOW", Kind.DURATION, 1, days(3650)),
    MAX_REMOVAL_SHARE("max_removal_share", "max-removal-share", "MAX_REMOVAL_SHARE", Kind.SHARE, 0, 1);

    private enum Kind { BOOLEAN, STRATEGY, DURATION, INTEGER, SHARE }

    /** The most retries of a source call the config may ask for. */
    public static final int MAX_RETRIES_BOUND = 100;

    private final String json;
    private final String setting;
    private final String env;
    private final Kind kind;
    /** Bounds: seconds for durations, the value itself for numbers. */
    private final long min;
    private final long max;

    SyncConfigField(String json, String setting, String env, Kind kind, long min, long max) {
        this.json = json;
        this.setting = "mirador.sync." + setting;
        this.env = "METRICS_METADATA_SYNC_" + env;
        this.kind = kind;
        this.min = min;
        this.max = max;
    }

    private static long days(long n) {
        return n * 86_400;
    }

    /** The field's name in JSON (GET and PUT .../sync/config). */
    public String jsonName() {
        return json;
    }

    /** The setting in application.properties. */
    public String setting() {
        return setting;
    }

    /** The environment variable that sets it. */
    public String env() {
        return env;
    }

    public static Optional<SyncConfigField> byJsonName(String name) {
        for (SyncConfigField f : values()) {
            if (f.json.equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads a value written as a setting's text.
     *
     * @throws IllegalArgumentException saying what is wrong with it (without naming the field)
     */
    public Object parse(String text) {
        String t = text.trim();
        Object value = switch (kind) {
            case BOOLEAN -> switch (t.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes", "on" -> true;
                case "false", "0", "no", "off" -> false;
                default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
            };
            case STRATEGY -> SyncStrategy.of(t);
            case DURATION -> GoDuration.parse(t);
            case INTEGER -> {
                try {
                    yield Integer.parseInt(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a whole number");
                }
            }
            case SHARE -> {
                try {
                    yield Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a number between 0 and 1");
                }
            }
        };
        return checked(value);
    }

    /**
     * Reads a value written in JSON, as the API writes it.
     *
     * @throws IllegalArgumentException saying what is wrong with it (without naming the field)
     */
    public Object read(JsonNode node) {
        Object value = switch (kind) {
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw new IllegalArgumentException("must be true or false");
                }
                yield node.booleanValue();
            }
            case STRATEGY -> SyncStrategy.of(node.isTextual() ? node.textValue() : node.toString());
            case DURATION -> {
                if (!node.isTextual() && !node.isIntegralNumber()) {
                    throw new IllegalArgumentException("must be a duration: \"15m\", \"PT15M\" or integer nanoseconds");
                }
                yield GoDuration.parse(node.asText());
            }
            case INTEGER -> {
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw new IllegalArgumentException("must be a whole number between " + min + " and " + max);
                }
                yield node.intValue();
            }
            case SHARE -> {
                if (!node.isNumber()) {
                    throw new IllegalArgumentException("must be a number between 0 and 1");
                }
                yield node.doubleValue();
            }
        };
        return checked(value);
    }

    /** The value written in JSON, as the API writes it. */
    public JsonNode write(Object value) {
        return switch (kind) {
            case BOOLEAN -> BooleanNode.valueOf((Boolean) value);
            case STRATEGY -> TextNode.valueOf(((SyncStrategy) value).id());
            case DURATION -> TextNode.valueOf(GoDuration.format((Duration) value));
            case INTEGER -> IntNode.valueOf((Integer) value);
            case SHARE -> DoubleNode.valueOf((Double) value);
        };
    }

    /** The value in the words of a log line or a message. */
    public String show(Object value) {
        return kind == Kind.DURATION ? GoDuration.format((Duration) value)
                : kind == Kind.STRATEGY ? ((SyncStrategy) value).id() : String.valueOf(value);
    }

    /** The value, if within the field's bounds. */
    private Object checked(Object value) {
        switch (kind) {
            case DURATION -> {
                Duration d = (Duration) value;
                Duration lo = Duration.ofSeconds(min);
                Duration hi = Duration.ofSeconds(max);
                if (d.compareTo(lo) < 0 || d.compareTo(hi) > 0) {
                    throw new IllegalArgumentException("must be between " + GoDuration.format(lo) + " and "
                            + GoDuration.format(hi) + ", was " + GoDuration.format(d));
                }
            }
            case INTEGER -> {
                int i = (Integer) value;
                if (i < min || i > max) {
                    throw new IllegalArgumentException("must be between " + min + " and " + max + ", was " + i);
                }
            }
            case SHARE -> {
                double v = (Double) value;
                if (!(v >= min && v <= max)) {
                    throw new IllegalArgumentException("must be between 0 and 1, was " + v);
                }
            }
            default -> {
            }
        }
        return value;
    }
}
