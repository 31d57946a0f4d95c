package io.mirador.app;

import org.apache.camel.CamelContext;

import java.util.Optional;
import java.util.function.Function;

/** Reads settings from application.properties, with {@code {{env:NAME:default}}} placeholders resolved; blank means unset. */
final class Settings implements Function<String, Optional<String>> {

    private final CamelContext context;

    Settings(CamelContext context) {
        this.context = context;
    }

    @Override
    public Optional<String> apply(String key) {
        return context.getPropertiesComponent().resolveProperty(key)
                .map(v -> context.resolvePropertyPlaceholders(v))
                .map(String::trim)
                .filter(v -> !v.isEmpty());
    }

    String get(String key, String fallback) {
        return apply(key).orElse(fallback);
    }

    java.time.Duration getDuration(String key, String fallback) {
        String v = get(key, fallback);
        try {
            java.time.Duration d = io.mirador.support.GoDuration.parse(v);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("must be greater than zero");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": '" + v + "': " + e.getMessage());
        }
    }

    int getInt(String key, int fallback) {
        String v = get(key, Integer.toString(fallback));
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a whole number");
        }
    }
}
