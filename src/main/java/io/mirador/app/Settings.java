package io.mirador.app;

import org.apache.camel.CamelContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads settings from application.properties (and {@code -D} overrides), with {@code {{env:NAME:default}}}
 * placeholders resolved; blank means unset; any setting may instead be read from a file ({@code <key>-file}).
 */
final class Settings implements Function<String, Optional<String>> {

    private final CamelContext context;

    Settings(CamelContext context) {
        this.context = context;
    }

    /**
     * The setting's value; when it is not set, the content of the file named by {@code <key>-file}, so that a
     * secret (a source token, a password) can be handed over as a mounted file rather than on a command line,
     * where every process listing shows it.
     *
     * @throws IllegalArgumentException naming {@code <key>-file} when that file cannot be read
     */
    @Override
    public Optional<String> apply(String key) {
        Optional<String> value = raw(key);
        if (value.isPresent()) {
            return value;
        }
        Optional<String> file = raw(key + "-file");
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(Path.of(file.get())).trim()).filter(v -> !v.isEmpty());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(key + "-file: cannot read '" + file.get() + "' (" + e.getMessage() + ")");
        }
    }

    private Optional<String> raw(String key) {
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
