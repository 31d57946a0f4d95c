package io.mirador.catalog;

import java.util.Collection;
import java.util.List;

/**
 * Infers a metric's type and unit from its name and label keys, following the OpenMetrics and
 * Prometheus naming conventions, for sources that keep no metadata (VictoriaMetrics before 1.130).
 */
public final class TypeInference {

    /** Base-unit suffixes in the order they are tried; the longest that matches wins by being first. */
    private static final List<String> UNITS = List.of(
            "milliseconds", "microseconds", "nanoseconds", "seconds",
            "kilobytes", "megabytes", "bytes", "bits",
            "ratio", "percent", "celsius", "kelvin", "volts", "amperes", "joules", "watts",
            "grams", "meters", "hertz", "rpm", "packets", "requests", "errors", "operations", "cycles",
            "entries", "objects", "files", "pages", "sectors", "sockets", "threads", "connections");

    private TypeInference() {
    }

    /** Type of a metric with these label keys: counter, histogram, summary, info or gauge. */
    public static String inferType(String name, Collection<String> labelKeys) {
        if (name.endsWith("_bucket") && labelKeys.contains("le")) {
            return "histogram";
        }
        if (labelKeys.contains("quantile")) {
            return "summary";
        }
        if (name.endsWith("_total") || name.endsWith("_created")) {
            return "counter";
        }
        if (name.endsWith("_info")) {
            return "info";
        }
        return "gauge";
    }

    /** Unit named by the name's suffix ({@code _seconds}, {@code _bytes_total}, ...), or "" when none. */
    public static String inferUnit(String name) {
        String base = stripTypeSuffix(name);
        for (String unit : UNITS) {
            if (base.endsWith("_" + unit) || base.equals(unit)) {
                return unit;
            }
        }
        return "";
    }

    /** The name without the suffix its type adds ({@code _total}, {@code _bucket}, {@code _sum}, {@code _count}, ...). */
    public static String stripTypeSuffix(String name) {
        for (String suffix : List.of("_total", "_bucket", "_sum", "_count", "_created", "_info")) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }
}
