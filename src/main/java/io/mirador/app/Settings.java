package io.mirador.app;

import io.mirador.support.GoDuration;
import org.apache.camel.CamelContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads settings from application.properties (and {@code -D} overrides), with {@code {{env:NAME:default}}}
 * placeholders resolved; blank means unset; any setting may instead be read from a file ({@code <key>-file}).
 * application.properties holds every default: a setting the service needs and does not find is an error naming
 * it, never a default of the code's.
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

    /** @throws IllegalArgumentException naming the setting when it is not set */
    String text(String key) {
        return apply(key).orElseThrow(() -> new IllegalArgumentException(key
                + " is not set (application.properties gives every setting a value)"));
    }

    /** A setting that may be left empty. */
    String textOrEmpty(String key) {
        return apply(key).orElse("");
    }

    /** @throws IllegalArgumentException naming the setting when it is not a whole number within the bounds */
    int integer(String key, int min, int max) {
        String v = text(key);
        try {
            int i = Integer.parseInt(v);
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(key + ": '" + v + "' is not a whole number between " + min + " and " + max);
    }

    /** @throws IllegalArgumentException naming the setting when it is not a duration within the bounds */
    Duration duration(String key, Duration min, Duration max) {
        String v = text(key);
        Duration d;
        try {
            d = GoDuration.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not between " + GoDuration.format(min) + " and "
                    + GoDuration.format(max));
        }
        return d;
    }

    /** @throws IllegalArgumentException naming the setting when it is not a number above 0 and at most 1 */
    double share(String key) {
        String v = text(key);
        try {
            double share = Double.parseDouble(v);
            if (share > 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(key + ": '" + v + "' is not a share above 0 and at most 1");
    }
}
