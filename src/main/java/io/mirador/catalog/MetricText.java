package io.mirador.catalog;

import io.mirador.support.Sha256;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a metric says about itself in words, for semantic search: the words of its name (split on {@code _ : .} and
 * camelCase), its help text and its unit. Its hash tells whether a metric's text changed since it was embedded.
 */
public final class MetricText {

    private static final int HASH_BYTES = 16;
    /** The most characters of a help text a metric's text takes. */
    static final int MAX_HELP = 1_000;
    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern SEPARATORS = Pattern.compile("[_:.]+");

    /**
     * What the series a scraper writes for every target mean (Prometheus and vmagent write them, no source has
     * metadata for them): without it, {@code up} is the single word "up", near every question that has it.
     */
    private static final Map<String, String> SCRAPE_SERIES = Map.of(
            "up", "1 if the scrape target is healthy and reachable, 0 if the scrape failed",
            "scrape_duration_seconds", "Time the last scrape of the target took",
            "scrape_samples_scraped", "Number of samples the target exposed in the last scrape",
            "scrape_samples_post_metric_relabeling", "Number of samples left after metric relabeling in the last scrape",
            "scrape_series_added", "Approximate number of new series in the last scrape",
            "scrape_timeout_seconds", "The configured scrape timeout of the target");

    private MetricText() {
    }

    public static String of(MetricDocument doc) {
        StringBuilder text = new StringBuilder(nameWords(doc.name()));
        String help = doc.help().isBlank() ? SCRAPE_SERIES.getOrDefault(doc.name(), "") : doc.help().strip();
        if (!help.isEmpty()) {
            // a huge help text would be embedded piece by piece; its first 1 000 characters say what the metric is
            text.append(": ").append(help, 0, Math.min(help.length(), MAX_HELP));
        }
        if (!doc.unit().isBlank() && !text.toString().toLowerCase(Locale.ROOT).contains(doc.unit().toLowerCase(Locale.ROOT))) {
            text.append(" (").append(doc.unit()).append(')');
        }
        return text.toString();
    }

    /** {@code node_memory_MemAvailable_bytes} -> {@code node memory mem available bytes}. */
    public static String nameWords(String name) {
        String spaced = SEPARATORS.matcher(CAMEL.matcher(name).replaceAll("$1 $2")).replaceAll(" ");
        return spaced.strip().toLowerCase(Locale.ROOT);
    }

    /** A short digest of {@code text}: equal texts, equal hashes. */
    public static byte[] hash(String text) {
        return Arrays.copyOf(Sha256.of(text), HASH_BYTES);
    }
}
