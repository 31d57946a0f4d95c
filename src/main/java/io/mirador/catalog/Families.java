package io.mirador.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * Recognises histogram and summary families among a tenant's metric names, the way OpenMetrics defines
 * them: a histogram {@code x} is {@code x_bucket} (with an {@code le} label), {@code x_sum} and
 * {@code x_count}; a summary {@code x} is {@code x} (with a {@code quantile} label), {@code x_sum} and
 * {@code x_count}. A user searching finds the family once, with its parts.
 */
public final class Families {

    /** What a series name is within its family. */
    public enum Role { NONE, HISTOGRAM_BUCKETS, SUMMARY_QUANTILES, PART }

    /**
     * @param base  the family's name
     * @param type  histogram or summary
     * @param parts the family's series names that exist
     */
    public record Membership(Role role, String base, String type, List<String> parts) {
        static final Membership NONE = new Membership(Role.NONE, null, null, null);
    }

    private Families() {
    }

    /**
     * The family of {@code name}, given its label keys and which other names exist in the tenant.
     *
     * @param exists whether a metric name exists in the tenant (in the sync's window)
     */
    public static Membership of(String name, Collection<String> labelKeys, Predicate<String> exists) {
        if (name.endsWith("_bucket") && labelKeys.contains("le")) {
            String base = strip(name, "_bucket");
            return new Membership(Role.HISTOGRAM_BUCKETS, base, "histogram", parts(base, "_bucket", exists));
        }
        if (labelKeys.contains("quantile") && exists.test(name + "_count")) {
            return new Membership(Role.SUMMARY_QUANTILES, name, "summary", parts(name, "", exists));
        }
        for (String suffix : new String[] {"_sum", "_count", "_created"}) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                String base = strip(name, suffix);
                if (exists.test(base + "_bucket")) {
                    return new Membership(Role.PART, base, "histogram", parts(base, "_bucket", exists));
                }
                if (exists.test(base) && exists.test(base + "_count")) {
                    return new Membership(Role.PART, base, "summary", parts(base, "", exists));
                }
            }
        }
        return Membership.NONE;
    }

    private static List<String> parts(String base, String first, Predicate<String> exists) {
        List<String> parts = new ArrayList<>();
        for (String suffix : new String[] {first, "_count", "_sum", "_created"}) {
            if (exists.test(base + suffix)) {
                parts.add(base + suffix);
            }
        }
        return List.copyOf(parts);
    }

    private static String strip(String name, String suffix) {
        return name.substring(0, name.length() - suffix.length());
    }
}
