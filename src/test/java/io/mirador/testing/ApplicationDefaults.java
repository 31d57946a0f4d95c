package io.mirador.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of application.properties as the service reads them with no environment: every
 * {@code {{env:NAME:default}}} placeholder is its default. The one place defaults live, read by unit tests too.
 */
public final class ApplicationDefaults {

    private static final Pattern ENV = Pattern.compile("\\{\\{env:[A-Za-z0-9_]+:([^}]*)}}");

    private ApplicationDefaults() {
    }

    public static Map<String, String> load() {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("application.properties"))) {
                String l = line.trim();
                int eq = l.indexOf('=');
                if (l.isEmpty() || l.startsWith("#") || eq < 0) {
                    continue;
                }
                Matcher m = ENV.matcher(l.substring(eq + 1).trim());
                out.put(l.substring(0, eq).trim(), m.replaceAll("$1"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** These settings over the defaults, as the service's setting lookup (blank means unset). */
    public static Function<String, Optional<String>> with(Map<String, String> overrides) {
        Map<String, String> all = load();
        all.putAll(overrides);
        return key -> Optional.ofNullable(all.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }
}
